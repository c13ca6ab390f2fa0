package dev.tween.testing;

import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationResult;
import dev.tween.generate.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A generator for tests of storage (not of media): each sample is a file of {@link #SAMPLE_BYTES}
 * bytes. Tasks run straight through, except that after {@link #holdBeforeWriting()} or {@link
 * #holdAfterWriting()} the next task stops at that point until {@link #release()}, so a test can
 * fill a disk exactly while a task is about to write, or about to store, its video.
 */
public final class HoldingGenerator implements Generator {
  public static final int SAMPLE_BYTES = 64 * 1024;

  private enum Hold {
    NONE,
    BEFORE_WRITING,
    AFTER_WRITING
  }

  public final AtomicInteger calls = new AtomicInteger();
  private volatile Hold hold = Hold.NONE;
  private volatile CountDownLatch held = new CountDownLatch(1);
  private volatile CountDownLatch release = new CountDownLatch(1);

  public void holdBeforeWriting() {
    arm(Hold.BEFORE_WRITING);
  }

  public void holdAfterWriting() {
    arm(Hold.AFTER_WRITING);
  }

  private void arm(Hold h) {
    held = new CountDownLatch(1);
    release = new CountDownLatch(1);
    hold = h;
  }

  /** Waits until a task stopped at the hold. */
  public void awaitHeld() throws InterruptedException {
    if (!held.await(20, TimeUnit.SECONDS)) throw new AssertionError("no task reached the hold");
  }

  public void release() {
    hold = Hold.NONE;
    release.countDown();
  }

  /** What sample {@code index} of {@code taskId} holds. */
  public static byte[] sample(String taskId, int index) {
    byte[] b = new byte[SAMPLE_BYTES];
    byte[] tag = (taskId + "/" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) b[i] = tag[i % tag.length];
    return b;
  }

  @Override
  public String name() {
    return "holding";
  }

  @Override
  public GenerationResult generate(GenerationJob job) throws GenerationException {
    calls.incrementAndGet();
    job.progress(0.5);
    Hold h = hold;
    if (h == Hold.BEFORE_WRITING) waitForRelease(job);
    int samples = job.request().options().sampleCount();
    for (int i = 0; i < samples; i++) {
      try {
        Files.write(job.sampleFile(i), sample(job.taskId(), i));
      } catch (IOException e) {
        throw GenerationException.transientFailure("writing the sample failed: " + e, e);
      }
    }
    if (h == Hold.AFTER_WRITING) waitForRelease(job);
    return GenerationResult.of(samples);
  }

  private void waitForRelease(GenerationJob job) throws GenerationException {
    held.countDown();
    try {
      while (!release.await(50, TimeUnit.MILLISECONDS)) {
        if (job.canceled()) throw GenerationException.canceled();
      }
    } catch (InterruptedException e) {
      throw GenerationException.canceled();
    }
  }
}
