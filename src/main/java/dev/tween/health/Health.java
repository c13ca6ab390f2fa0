package dev.tween.health;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The node's dependencies (database, and the bucket when blobs live in S3), for readiness and
 * workers.
 */
public final class Health {
  private final List<Circuit> circuits;

  public Health(List<Circuit> circuits) {
    this.circuits = List.copyOf(circuits);
  }

  public List<Circuit> circuits() {
    return circuits;
  }

  public boolean allUp() {
    return circuits.stream().allMatch(Circuit::isUp);
  }

  public List<String> down() {
    return circuits.stream().filter(c -> !c.isUp()).map(Circuit::name).toList();
  }

  public Optional<Circuit> circuit(String name) {
    return circuits.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** Waits until every dependency is up or {@code max} passed; true when all are up. */
  public boolean awaitUp(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    for (Circuit c : circuits) {
      long left = deadline - System.nanoTime();
      if (!c.awaitUp(Duration.ofNanos(Math.max(0, left)))) return false;
    }
    return true;
  }
}
