package dev.tween.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one dependency is reachable, noticed once instead of on every request. A failed operation
 * ({@link #failed}) or a failed probe opens the circuit: callers then fail fast ({@link #check})
 * while a background thread probes every {@link #DOWN_PROBE}; the first good probe closes it. While
 * closed, the probe runs every {@link #UP_PROBE} so an idle node notices an outage too. One WARN
 * when the dependency goes away, one INFO when it is back.
 */
public final class Circuit implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Circuit.class);
  static final Duration DOWN_PROBE = Duration.ofMillis(500);
  static final Duration UP_PROBE = Duration.ofSeconds(2);

  /**
   * What 503 answers tell clients: a little more than it takes to notice the dependency is back.
   */
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  /**
   * Throws, with a reason, when the dependency does not answer. Runs only on the probing thread.
   */
  @FunctionalInterface
  public interface Probe {
    void check() throws Exception;
  }

  private final String name;
  private final Probe probe;
  private final Clock clock;
  private final List<Consumer<Boolean>> onChange = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private volatile boolean up = true;
  private volatile Instant downSince;
  private volatile Instant recoveredAt;
  private volatile boolean running = true;
  private final Thread thread;

  public Circuit(String name, Probe probe, Clock clock) {
    this.name = name;
    this.probe = probe;
    this.clock = clock;
    this.thread = Thread.ofPlatform().daemon().name("tween-health-" + name).start(this::loop);
  }

  public String name() {
    return name;
  }

  public boolean isUp() {
    return up;
  }

  /** How long ago the dependency came back after its last outage; empty when it never was down. */
  public Optional<Duration> sinceRecovery() {
    Instant at = recoveredAt;
    return at == null ? Optional.empty() : Optional.of(Duration.between(at, clock.instant()));
  }

  /** Fails fast while the dependency is known to be down. */
  public void check() {
    if (!up) throw unavailable(null);
  }

  /** An operation could not reach the dependency: open the circuit and probe at once. */
  public void failed(Throwable cause) {
    markDown(cause.toString());
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  public DependencyUnavailableException unavailable(Throwable cause) {
    return new DependencyUnavailableException(
        name,
        RETRY_AFTER,
        "the " + name + " is unreachable; retry after " + RETRY_AFTER.toSeconds() + " s",
        cause);
  }

  /**
   * Calls {@code listener} with the new state (true: up) whenever it flips, on the probing or the
   * failing thread.
   */
  public void onChange(Consumer<Boolean> listener) {
    onChange.add(listener);
  }

  /** Waits until the dependency is up or {@code max} passed; true when up. */
  public boolean awaitUp(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (lock) {
      while (!up) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  private void loop() {
    while (running) {
      try {
        synchronized (lock) {
          lock.wait((up ? UP_PROBE : DOWN_PROBE).toMillis());
        }
      } catch (InterruptedException e) {
        return;
      }
      if (!running) return;
      try {
        probe.check();
        markUp();
      } catch (Exception e) {
        markDown(e.toString());
      }
    }
  }

  private void markDown(String error) {
    synchronized (lock) {
      if (!up) return;
      up = false;
      downSince = clock.instant();
    }
    log.warn("event=dependency_down dependency={} error=\"{}\"", name, error);
    onChange.forEach(l -> l.accept(false));
  }

  private void markUp() {
    Instant since;
    synchronized (lock) {
      if (up) return;
      up = true;
      recoveredAt = clock.instant();
      since = downSince;
      lock.notifyAll();
    }
    log.info(
        "event=dependency_up dependency={} down_ms={}",
        name,
        Duration.between(since, recoveredAt).toMillis());
    onChange.forEach(l -> l.accept(true));
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
