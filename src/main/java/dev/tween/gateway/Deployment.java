package dev.tween.gateway;

import dev.tween.config.DeploymentSpec;
import dev.tween.store.UpstreamQueue;
import java.time.Clock;

/**
 * One configured deployment on this node: its limits, the connection to it, and whether this node
 * currently sends it anything.
 */
public final class Deployment implements AutoCloseable {
  private final DeploymentSpec spec;
  private final Upstream upstream;
  final DeploymentCircuit circuit;
  private final java.util.concurrent.atomic.AtomicInteger throttles =
      new java.util.concurrent.atomic.AtomicInteger();

  public Deployment(DeploymentSpec spec, Upstream upstream, Clock clock) {
    this.spec = spec;
    this.upstream = upstream;
    this.circuit = new DeploymentCircuit(spec.name(), clock);
  }

  public String name() {
    return spec.name();
  }

  public String generator() {
    return spec.generator();
  }

  public int maxConcurrent() {
    return spec.maxConcurrent();
  }

  /** Creates per rolling minute, cluster-wide; 0: no limit. */
  public int requestsPerMinute() {
    return spec.requestsPerMinute();
  }

  /**
   * How long to stop creating after a 429 that named no wait: 2 s, doubling with each further 429
   * in a row up to a minute (a quota is counted per minute).
   */
  java.time.Duration cooldownAfterThrottle() {
    int n = Math.min(throttles.incrementAndGet(), 6);
    return java.time.Duration.ofSeconds(Math.min(60, 2L << (n - 1)));
  }

  /** A create went through: the next 429 starts from the shortest wait again. */
  void created() {
    throttles.set(0);
  }

  Upstream upstream() {
    return upstream;
  }

  UpstreamQueue.Opening opening() {
    return new UpstreamQueue.Opening(name(), maxConcurrent(), requestsPerMinute());
  }

  @Override
  public void close() throws Exception {
    upstream.close();
  }
}
