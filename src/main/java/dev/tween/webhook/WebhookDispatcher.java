package dev.tween.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tween.store.WebhookQueue;
import dev.tween.task.Task;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@code ASYNC_TASK_RESULT} webhooks at least once, with a stable {@code webhook-id} per
 * task, retrying failures on a long schedule. Delivery state is in the database, so a restart (or
 * another node) picks up where this one stopped.
 */
public final class WebhookDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  /**
   * Delay before attempt n+1 after n failed attempts (Standard Webhooks' usual schedule, ~3 days in
   * all).
   */
  static final List<Duration> SCHEDULE =
      List.of(
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          Duration.ofMinutes(30),
          Duration.ofHours(2),
          Duration.ofHours(5),
          Duration.ofHours(10),
          Duration.ofHours(14),
          Duration.ofHours(20),
          Duration.ofHours(24));

  private static final Duration SEND_LEASE = Duration.ofMinutes(2);
  private static final ObjectMapper JSON =
      new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module());

  private final WebhookQueue queue;
  private final WebhookTransport transport;
  private final WebhookSigner signer;
  private final Function<Task, Object> render;
  private final Clock clock;
  private final Duration poll;
  private final List<Duration> schedule;
  private final Semaphore wakeups = new Semaphore(0);
  private volatile boolean running;
  private Thread thread;

  /**
   * @param secret the Standard Webhooks secret, {@code whsec_<base64>}
   */
  public WebhookDispatcher(
      WebhookQueue queue,
      WebhookTransport transport,
      String secret,
      Function<Task, Object> render,
      Clock clock,
      Duration poll,
      List<Duration> schedule) {
    this.queue = queue;
    this.transport = transport;
    this.signer = new WebhookSigner(secret);
    this.render = render;
    this.clock = clock;
    this.poll = poll;
    this.schedule = schedule;
  }

  public static List<Duration> defaultSchedule() {
    return SCHEDULE;
  }

  public void start() {
    running = true;
    thread = Thread.ofPlatform().daemon().name("tween-webhooks").start(this::loop);
  }

  /** A task ended on this node: deliver now rather than at the next poll. */
  /** A task ended: deliver its webhook now if it has one (the dispatcher polls anyway). */
  public void taskEnded(dev.tween.task.Task task) {
    if (task.spec().webhookUrl().isPresent()) wake();
  }

  public void wake() {
    if (wakeups.availablePermits() == 0) wakeups.release();
  }

  private void loop() {
    while (running) {
      try {
        if (!deliverOne()) wakeups.tryAcquire(poll.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // An outage was logged once by its circuit; deliveries resume when it is back.
        if (!(e instanceof dev.tween.health.DependencyUnavailableException)) {
          log.error("event=webhook_loop_error error=\"{}\"", e.toString());
        }
        try {
          Thread.sleep(poll.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Sends the next due delivery, if any; returns whether there was one. */
  boolean deliverOne() {
    Optional<WebhookQueue.Due> due = queue.claim(SEND_LEASE);
    if (due.isEmpty()) return false;
    Task task = due.get().task();
    int attempt = due.get().previousAttempts() + 1;
    Optional<String> url = task.spec().webhookUrl();
    if (url.isEmpty()) {
      queue.giveUp(task.id(), "no webhook url");
      return true;
    }
    String error;
    try {
      byte[] body =
          JSON.writeValueAsBytes(
              Map.of("event_type", "ASYNC_TASK_RESULT", "payload", render.apply(task)));
      String id = "msg_" + task.id();
      long ts = clock.instant().getEpochSecond();
      var headers = new LinkedHashMap<String, String>();
      headers.put("content-type", "application/json");
      headers.put("webhook-id", id);
      headers.put("webhook-timestamp", Long.toString(ts));
      headers.put("webhook-signature", signer.sign(id, ts, body));
      int status = transport.post(URI.create(url.get()), headers, body);
      if (status >= 200 && status < 300) {
        queue.delivered(task.id());
        log.info(
            "event=webhook_delivered task={} attempt={} status={}", task.id(), attempt, status);
        return true;
      }
      error = "receiver answered HTTP " + status;
    } catch (IOException | RuntimeException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    if (attempt > schedule.size()) {
      queue.giveUp(task.id(), error);
      log.warn(
          "event=webhook_given_up task={} attempts={} error=\"{}\"", task.id(), attempt, error);
    } else {
      long next = clock.millis() + schedule.get(attempt - 1).toMillis();
      queue.retryAt(task.id(), next, error);
      log.warn(
          "event=webhook_failed task={} attempt={} retry_in_ms={} error=\"{}\"",
          task.id(),
          attempt,
          next - clock.millis(),
          error);
    }
    return true;
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) thread.interrupt();
  }
}
