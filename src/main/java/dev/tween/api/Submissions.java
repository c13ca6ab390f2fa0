package dev.tween.api;

import dev.tween.api.Submission.ImageInput;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.Generator;
import dev.tween.generate.InputImage;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.queue.NewTask;
import dev.tween.queue.TaskStore;
import dev.tween.storage.BlobKeys;
import dev.tween.storage.BlobStore;
import dev.tween.task.TaskSpec;
import dev.tween.task.TaskSpec.ImageRef;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Accepts a validated submission: stores its inline images, queues the task, wakes a worker. */
public final class Submissions {
  private static final Logger log = LoggerFactory.getLogger(Submissions.class);
  private static final InputImage NOT_FETCHED_YET = new InputImage(new byte[0], InputImage.Format.PNG);

  private final TaskStore store;
  private final BlobStore blobs;
  private final Generator generator;
  private final Runnable wakeWorkers;
  private final SecureRandom random = new SecureRandom();

  public Submissions(TaskStore store, BlobStore blobs, Generator generator, Runnable wakeWorkers) {
    this.store = store;
    this.blobs = blobs;
    this.generator = generator;
    this.wakeWorkers = wakeWorkers;
  }

  String submit(String tenant, Submission s) {
    long seed = s.seed().orElseGet(() -> random.nextLong() & 0xFFFF_FFFFL);
    checkSupported(s, seed);
    String id = UUID.randomUUID().toString();
    try {
      TaskSpec spec = new TaskSpec(
          store(id, "first", s.image()), store(id, "last", s.lastFrameImage()), s.prompt(), s.negativePrompt(),
          s.durationSeconds(), s.resolution(), s.aspectRatio(), s.sampleCount(), seed, s.seed().isPresent(),
          s.enhancePrompt(), s.generateAudio(), s.personGeneration(), s.webhookUrl().map(Object::toString));
      store.insert(new NewTask(id, tenant, spec));
    } catch (IOException | RuntimeException e) {
      deleteInputs(id);
      throw e instanceof IOException io ? new IllegalStateException("storing the input images failed", io)
          : (RuntimeException) e;
    }
    log.info("event=task_submitted task={} tenant={} duration={} resolution={} samples={}",
        id, tenant, s.durationSeconds(), s.resolution().wire(), s.sampleCount());
    wakeWorkers.run();
    return id;
  }

  private void checkSupported(Submission s, long seed) {
    var request = new GenerationRequest(inline(s.image()), inline(s.lastFrameImage()), s.prompt(), s.negativePrompt(),
        s.durationSeconds(), s.resolution(), s.aspectRatio(), s.sampleCount(), seed, s.enhancePrompt(),
        s.generateAudio(), s.personGeneration());
    try {
      generator.checkSupported(request);
    } catch (UnsupportedRequestException e) {
      throw ApiException.invalid(e.field(), e.getMessage());
    }
  }

  /** Inline bytes as they are; a URL's image is only known once a worker fetched it. */
  private static InputImage inline(ImageInput in) {
    return in instanceof ImageInput.Inline i ? i.image() : NOT_FETCHED_YET;
  }

  private ImageRef store(String id, String which, ImageInput in) throws IOException {
    return switch (in) {
      case ImageInput.Remote r -> new ImageRef.Remote(r.url().toString());
      case ImageInput.Inline i -> {
        String key = inputKey(id, which, i.image().format());
        blobs.put(key, i.image().bytes(), i.image().format().mimeType());
        yield new ImageRef.Stored(key);
      }
    };
  }

  static String inputKey(String id, String which, InputImage.Format f) {
    return BlobKeys.input(id, which, f == InputImage.Format.PNG ? "png" : "jpg");
  }

  private void deleteInputs(String id) {
    try {
      blobs.deletePrefix(BlobKeys.inputsOf(id));
    } catch (IOException e) {
      log.warn("event=input_cleanup_failed task={} error=\"{}\"", id, e.toString());
    }
  }
}
