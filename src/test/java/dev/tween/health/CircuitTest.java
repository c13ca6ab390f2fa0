package dev.tween.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CircuitTest {

  @Test
  void aFailureOpensItCallersFailFastAndTheFirstGoodProbeClosesIt() throws Exception {
    var reachable = new AtomicBoolean(true);
    var flips = new java.util.concurrent.CopyOnWriteArrayList<Boolean>();
    try (var circuit =
        new Circuit(
            "database",
            () -> {
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
      assertThat(circuit.awaitUp(Duration.ofMillis(700))).isFalse(); // probes keep failing

      reachable.set(true);
      assertThat(circuit.awaitUp(Duration.ofSeconds(3))).isTrue();
      circuit.check();
      assertThat(circuit.sinceRecovery()).isPresent();
      long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (flips.size() < 2 && System.nanoTime() < deadline)
        Thread.sleep(10); // listeners run after waiters wake
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
      long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
      while (circuit.isUp() && System.nanoTime() < deadline) Thread.sleep(50);
      assertThat(circuit.isUp()).isFalse();
      assertThat(new Health(java.util.List.of(circuit)).down()).containsExactly("storage");
    }
  }
}
