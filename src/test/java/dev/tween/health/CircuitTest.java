package dev.tween.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitTest {

  @Test
  void aFailureOpensItCallersFailFastAndTheFirstGoodProbeClosesIt() throws Exception {
    var reachable = new AtomicBoolean(true);
    var probes = new AtomicInteger();
    var flips = new java.util.concurrent.CopyOnWriteArrayList<Boolean>();
    try (var circuit =
        new Circuit(
            "database",
            () -> {
              probes.incrementAndGet();
              if (!reachable.get()) throw new IOException("refused");
            },
            Clock.systemUTC())) {
      circuit.onChange(flips::add);
      circuit.check();
      assertThat(circuit.sinceRecovery()).isEmpty();

      reachable.set(false);
      circuit.failed(new IOException("connection refused"));
      circuit.failed(new IOException("connection refused")); // noticed once
      assertThat(circuit.isUp()).isFalse();
      assertThatThrownBy(circuit::check)
          .isInstanceOfSatisfying(
              DependencyUnavailableException.class,
              e -> {
                assertThat(e.dependency()).isEqualTo("database");
                assertThat(e.retryAfter()).isPositive();
                assertThat(e.getStackTrace()).isEmpty();
              });
      int probed = probes.get();
      await().atMost(Duration.ofSeconds(3)).until(() -> probes.get() >= probed + 2);
      assertThat(circuit.isUp()).as("two failed probes later").isFalse();

      reachable.set(true);
      assertThat(circuit.awaitUp(Duration.ofSeconds(3))).isTrue();
      circuit.check();
      assertThat(circuit.sinceRecovery()).isPresent();
      // listeners run after waiters wake
      await().atMost(Duration.ofSeconds(2)).until(() -> flips.size() >= 2);
      assertThat(flips).containsExactly(false, true);
    }
  }

  @Test
  void anIdleNodeNoticesAnOutageThroughThePeriodicProbe() throws Exception {
    var reachable = new AtomicBoolean(true);
    try (var circuit =
        new Circuit(
            "storage",
            () -> {
              if (!reachable.get()) throw new IOException("HeadBucket got no answer");
            },
            Clock.systemUTC())) {
      reachable.set(false);
      await().atMost(Duration.ofSeconds(4)).until(() -> !circuit.isUp());
      assertThat(new Health(java.util.List.of(circuit)).down()).containsExactly("storage");
    }
  }
}
