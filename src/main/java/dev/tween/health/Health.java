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
  private final OutageDetector outages;

  public Health(List<Circuit> circuits) {
    this(circuits, OutageDetector.NONE);
  }

  /**
   * @param outages recognises outages in failures that do not say so (a full disk)
   */
  public Health(List<Circuit> circuits, OutageDetector outages) {
    this.circuits = List.copyOf(circuits);
    this.outages = outages;
  }

  /** The outage of a dependency behind {@code failure}, if that is what it was. */
  public Optional<DependencyUnavailableException> outageBehind(Throwable failure) {
    return failure instanceof DependencyUnavailableException d
        ? Optional.of(d)
        : outages.outageBehind(failure);
  }

  /**
   * True while a dependency is down or came back less than {@code settle} ago (e.g. a lease that
   * could not be renewed during the outage has not had its chance yet).
   */
  public boolean unsettled(Duration settle) {
    for (Circuit c : circuits) {
      if (!c.isUp() || c.sinceRecovery().map(d -> d.compareTo(settle) < 0).orElse(false))
        return true;
    }
    return false;
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
