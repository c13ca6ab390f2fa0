package dev.tween.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node sends a deployment anything. A call upstream did not answer (5xx, unreachable)
 * opens it: no creates and no polls until the open period ends; then one call at a time is let
 * through as a probe (a real create or poll) until one succeeds, which closes it, or fails, which
 * opens it again for twice as long (up to {@link #MAX_OPEN}). One WARN when it opens, one INFO when
 * it closes. Each node keeps its own: what one node cannot reach, another may.
 */
final class DeploymentCircuit {
  private static final Logger log = LoggerFactory.getLogger(DeploymentCircuit.class);
  static final Duration FIRST_OPEN = Duration.ofSeconds(1);
  static final Duration MAX_OPEN = Duration.ofSeconds(30);

  /** How long a probe may take before another call is let through in its place. */
  static final Duration PROBE_WINDOW = Duration.ofSeconds(10);

  private final String deployment;
  private final Clock clock;
  private boolean open;
  private Instant openUntil = Instant.EPOCH;
  private Duration openFor = FIRST_OPEN;
  private Instant probeUntil = Instant.EPOCH;
  private String lastError = "";

  DeploymentCircuit(String deployment, Clock clock) {
    this.deployment = deployment;
    this.clock = clock;
  }

  /** Whether a call may go now, without taking the probe: for choosing where to send. */
  synchronized boolean mayCall() {
    if (!open) return true;
    Instant now = clock.instant();
    return !now.isBefore(openUntil) && !now.isBefore(probeUntil);
  }

  /** Takes the right to call now: always while closed; the single probe while open. */
  synchronized boolean tryCall() {
    if (!open) return true;
    Instant now = clock.instant();
    if (now.isBefore(openUntil) || now.isBefore(probeUntil)) return false;
    probeUntil = now.plus(PROBE_WINDOW);
    return true;
  }

  synchronized void succeeded() {
    if (!open) return;
    open = false;
    openFor = FIRST_OPEN;
    probeUntil = Instant.EPOCH;
    log.info("event=deployment_up deployment={} after=\"{}\"", deployment, lastError);
  }

  synchronized void failed(String error) {
    Instant now = clock.instant();
    lastError = error;
    if (!open) {
      open = true;
      openFor = FIRST_OPEN;
      log.warn("event=deployment_down deployment={} error=\"{}\"", deployment, error);
    } else {
      openFor =
          openFor.multipliedBy(2).compareTo(MAX_OPEN) > 0 ? MAX_OPEN : openFor.multipliedBy(2);
    }
    openUntil = now.plus(openFor);
    probeUntil = Instant.EPOCH;
  }

  synchronized boolean isOpen() {
    return open;
  }

  synchronized String lastError() {
    return lastError;
  }
}
