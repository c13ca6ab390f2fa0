package dev.tween.gateway;

import dev.tween.health.DependencyUnavailableException;
import dev.tween.store.UpstreamQueue;
import dev.tween.store.UpstreamQueue.Load;
import dev.tween.task.Task;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The upstream models a node serves and their deployments, with what is known of each: its use over
 * every node (refreshed from the database), and whether this node sends it anything. The gateway
 * schedules with it; the API shows it ({@link #views}) and estimates a queued task's wait with it
 * ({@link #queuedEta}).
 */
public final class DeploymentSet implements AutoCloseable {
  private static final Load IDLE = new Load(0, 0, Instant.EPOCH);

  private final Map<String, UpstreamModel> models = new LinkedHashMap<>();
  private final Map<String, Deployment> deployments = new LinkedHashMap<>();
  private final Map<String, List<Deployment>> byGenerator = new LinkedHashMap<>();
  private final UpstreamQueue queue;
  private final Clock clock;
  private volatile Map<String, Load> loads = Map.of();

  /**
   * A deployment names a model this node serves, and each model has at least one deployment: the
   * configuration guarantees both; this checks them again.
   */
  public DeploymentSet(
      List<UpstreamModel> models, List<Deployment> deployments, UpstreamQueue queue, Clock clock) {
    this.queue = queue;
    this.clock = clock;
    for (UpstreamModel m : models) this.models.put(m.name(), m);
    for (Deployment d : deployments) {
      if (!this.models.containsKey(d.generator()))
        throw new IllegalArgumentException(
            "deployment " + d.name() + " is for " + d.generator() + ", which is not served");
      this.deployments.put(d.name(), d);
      byGenerator.computeIfAbsent(d.generator(), g -> new ArrayList<>()).add(d);
    }
    for (UpstreamModel m : models) {
      if (!byGenerator.containsKey(m.name()))
        throw new IllegalArgumentException("generator " + m.name() + " has no deployment");
    }
  }

  public boolean isEmpty() {
    return models.isEmpty();
  }

  Collection<UpstreamModel> models() {
    return models.values();
  }

  Collection<Deployment> all() {
    return deployments.values();
  }

  List<Deployment> of(UpstreamModel m) {
    return byGenerator.get(m.name());
  }

  /** The deployment an operation names; only there can it be polled. */
  Deployment named(String name) {
    Deployment d = deployments.get(name);
    if (d == null)
      throw new IllegalStateException(
          "deployment "
              + name
              + " holds an operation of this task but is not configured on this node; add it back"
              + " to the deployments file");
    return d;
  }

  /** The deployments of {@code m} this node may send a create to now. */
  List<UpstreamQueue.Opening> openings(UpstreamModel m) {
    return of(m).stream().filter(d -> d.circuit.mayCall()).map(Deployment::opening).toList();
  }

  /** Reads every deployment's use over every node (a few indexed counts). */
  void refresh() {
    loads = queue.loads(deployments.keySet());
  }

  Load load(String deployment) {
    return loads.getOrDefault(deployment, IDLE);
  }

  /** The deployments of {@code generator} as {@code GET /v3/models} shows them. */
  public List<Gateway.DeploymentView> views(String generator) {
    Instant now = clock.instant();
    List<Gateway.DeploymentView> out = new ArrayList<>();
    for (Deployment d : byGenerator.getOrDefault(generator, List.of())) {
      Load l = load(d.name());
      boolean cooling = l.cooldownUntil().isAfter(now);
      boolean down = d.circuit.isOpen();
      out.add(
          new Gateway.DeploymentView(
              d.name(),
              d.maxConcurrent(),
              d.requestsPerMinute(),
              l.inFlight(),
              l.lastMinute(),
              down ? "down" : cooling ? "cooling_down" : "up",
              cooling ? Optional.of(l.cooldownUntil()) : Optional.empty(),
              down ? Optional.of(d.circuit.lastError()) : Optional.empty()));
    }
    return out;
  }

  /**
   * An honest eta for a task still queued for an upstream generator: its place in the queue over
   * what the deployments can run at once and create per minute, plus one operation's typical time.
   * Empty for other tasks, or when the database cannot say.
   */
  public OptionalInt queuedEta(Task t) {
    UpstreamModel m = models.get(t.spec().generator());
    if (m == null) return OptionalInt.empty();
    int ahead;
    try {
      ahead = queue.queuedAhead(t);
    } catch (DependencyUnavailableException e) {
      return OptionalInt.empty();
    }
    int capacity = 0;
    int perMinute = 0;
    boolean unlimited = false;
    for (Deployment d : of(m)) {
      capacity += d.maxConcurrent();
      if (d.requestsPerMinute() == 0) unlimited = true;
      else perMinute += d.requestsPerMinute();
    }
    long typical = m.typical().toSeconds();
    long byConcurrency = typical * (1 + ahead / Math.max(1, capacity));
    long byRate = unlimited ? 0 : (long) Math.ceil((ahead + 1) * 60.0 / perMinute) + typical;
    return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, Math.max(byConcurrency, byRate)));
  }

  /** Closes every deployment's connection. */
  @Override
  public void close() {
    for (Deployment d : deployments.values()) {
      try {
        d.close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(DeploymentSet.class)
            .warn("event=close_failed deployment={} error=\"{}\"", d.name(), e.toString());
      }
    }
  }
}
