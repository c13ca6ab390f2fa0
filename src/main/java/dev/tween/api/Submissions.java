package dev.tween.api;

import dev.tween.api.Submission.ImageInput;
import dev.tween.generate.Catalog;
import dev.tween.generate.InputImage;
import dev.tween.generate.Model;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.keys.Ledger;
import dev.tween.keys.Money;
import dev.tween.keys.Principal;
import dev.tween.storage.BlobKeys;
import dev.tween.storage.BlobStore;
import dev.tween.store.IdempotencyKeys;
import dev.tween.store.IdempotencyKeys.Reservation;
import dev.tween.store.NewTask;
import dev.tween.store.TaskStore;
import dev.tween.task.TaskSpec;
import dev.tween.task.TaskSpec.ImageRef;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Accepts a validated submission: stores its inline images, queues the task, wakes a worker. */
final class Submissions {
  private static final Logger log = LoggerFactory.getLogger(Submissions.class);

  private final TaskStore store;
  private final BlobStore blobs;
  private final Catalog catalog;
  private final IdempotencyKeys idempotency;
  private final SubmitLimits limits;
  private final Runnable wakeWorkers;
  private final Ledger ledger;

  Submissions(
      TaskStore store,
      BlobStore blobs,
      Catalog catalog,
      IdempotencyKeys idempotency,
      SubmitLimits limits,
      Runnable wakeWorkers,
      Ledger ledger) {
    this.ledger = ledger;
    this.store = store;
    this.blobs = blobs;
    this.catalog = catalog;
    this.idempotency = idempotency;
    this.limits = limits;
    this.wakeWorkers = wakeWorkers;
  }

  void checkRoom() {
    limits.checkRoom();
  }

  void checkRate(Principal principal) {
    limits.checkRate(principal);
  }

  void checkCapacity() {
    limits.checkCapacity();
  }

  /**
   * Queues the submission and returns its task id; with an idempotency key, a repeat of the same
   * body returns the first task's id instead.
   */
  String submit(
      Principal principal, Submission s, Optional<String> idempotencyKey, byte[] rawBody) {
    return submit(principal, "", s, idempotencyKey, rawBody);
  }

  /**
   * As {@link #submit(Principal, Submission, Optional, byte[])}, for the model {@code generator}
   * (empty: the first).
   */
  String submit(
      Principal principal,
      String generator,
      Submission s,
      Optional<String> idempotencyKey,
      byte[] rawBody) {
    String tenant = principal.tenant();
    if (idempotencyKey.isEmpty()) {
      limits.checkCapacity();
      return create(principal, generator, s, Optional.empty());
    }
    String key = idempotencyKey.get();
    var reservation = idempotency.reserve(tenant, key, sha256(rawBody));
    switch (reservation) {
      case Reservation.Replay r -> {
        log.info("event=idempotent_replay task={} tenant={}", r.taskId(), tenant);
        return r.taskId();
      }
      case Reservation.Mismatch m ->
          throw new ApiException(
              422,
              "IDEMPOTENCY_KEY_REUSED",
              "Idempotency-Key was already used with a different request body",
              Map.of("header", "Idempotency-Key"));
      case Reservation.InFlight f ->
          throw new ApiException(
              409,
              "IDEMPOTENCY_KEY_IN_FLIGHT",
              "a request with this Idempotency-Key is still being processed; retry shortly",
              Map.of("header", "Idempotency-Key"));
      case Reservation.Reserved ok -> {}
    }
    try {
      limits.checkCapacity();
      return create(principal, generator, s, idempotencyKey);
    } catch (RuntimeException e) {
      idempotency.release(tenant, key);
      throw e;
    }
  }

  private String create(
      Principal principal, String generator, Submission s, Optional<String> idempotencyKey) {
    String tenant = principal.tenant();
    checkSupported(generator, s);
    String id = UUID.randomUUID().toString();
    reserve(principal, generator, id, s);
    var stored = new java.util.ArrayList<String>();
    try {
      TaskSpec spec =
          new TaskSpec(
              store(id, "first", s.image(), stored),
              store(id, "last", s.lastFrameImage(), stored),
              s.options(),
              s.webhookUrl().map(Object::toString),
              generator);
      store.insert(new NewTask(id, tenant, spec, idempotencyKey));
    } catch (IOException | RuntimeException e) {
      ledger.release(id);
      if (!stored.isEmpty()) deleteInputs(id); // none when the bucket refused the first one
      throw e instanceof IOException io
          ? new IllegalStateException("storing the input images failed", io)
          : (RuntimeException) e;
    }
    log.info(
        "event=task_submitted task={} tenant={} duration={} resolution={} samples={}",
        id,
        tenant,
        s.options().durationSeconds(),
        s.options().resolution().wire(),
        s.options().sampleCount());
    wakeWorkers.run();
    return id;
  }

  /**
   * Reserves the task's price against the key's budget: 402 when it does not fit, nothing queued.
   */
  private void reserve(Principal principal, String generatorName, String id, Submission s) {
    if (ledger.reserve(principal, id, generatorFor(generatorName).name(), s.options())
        instanceof Ledger.Reservation.Exceeded e) {
      String period =
          principal
              .budget()
              .map(
                  b ->
                      switch (b.period()) {
                        case DAY -> "today's";
                        case MONTH -> "this month's";
                        case TOTAL -> "the key's";
                      })
              .orElse("the");
      throw new ApiException(
          402,
          "BUDGET_EXCEEDED",
          Money.of(e.remainingMicros()).toPlainString()
              + " "
              + e.currency()
              + " is left of "
              + period
              + " budget; this request needs "
              + Money.of(e.neededMicros()).toPlainString()
              + " "
              + e.currency()
              + " (duration × sample_count × price per second)",
          Map.of(
              "remaining",
              Money.of(e.remainingMicros()),
              "needed",
              Money.of(e.neededMicros()),
              "currency",
              e.currency()));
    }
  }

  private Model generatorFor(String name) {
    return catalog.get(name);
  }

  private void checkSupported(String name, Submission s) {
    try {
      generatorFor(name).checkSupported(s.options());
    } catch (UnsupportedRequestException e) {
      throw ApiException.invalid(e.field(), e.getMessage());
    }
  }

  private ImageRef store(String id, String which, ImageInput in, java.util.List<String> stored)
      throws IOException {
    return switch (in) {
      case ImageInput.Remote r -> new ImageRef.Remote(r.url().toString());
      case ImageInput.Inline i -> {
        String key = inputKey(id, which, i.image().format());
        blobs.put(key, i.image().bytes(), i.image().format().mimeType());
        stored.add(key);
        yield new ImageRef.Stored(key);
      }
    };
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String inputKey(String id, String which, InputImage.Format f) {
    return BlobKeys.input(id, which, f == InputImage.Format.PNG ? "png" : "jpg");
  }

  private void deleteInputs(String id) {
    try {
      blobs.deletePrefix(BlobKeys.inputsOf(id));
    } catch (IOException
        | RuntimeException e) { // e.g. the bucket is down too: keep the first error
      log.warn("event=input_cleanup_failed task={} error=\"{}\"", id, e.toString());
    }
  }
}
