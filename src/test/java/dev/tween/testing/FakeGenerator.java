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
 * A generator for tests of the task system (not of media): writes a small marker file per sample,
 * optionally holding at half progress until {@link #release()} so tests can observe PROCESSING.
 */
public final class FakeGenerator implements Generator {
  private final CountDownLatch gate;
  public final AtomicInteger calls = new AtomicInteger();

  private FakeGenerator(CountDownLatch gate) {
    this.gate = gate;
  }

  public static FakeGenerator instant() {
    return new FakeGenerator(new CountDownLatch(0));
  }

  public static FakeGenerator gated() {
    return new FakeGenerator(new CountDownLatch(1));
  }

  public void release() {
    gate.countDown();
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public GenerationResult generate(GenerationJob job) throws GenerationException {
    calls.incrementAndGet();
    job.progress(0.5);
    try {
      while (!gate.await(50, TimeUnit.MILLISECONDS)) {
        if (job.canceled()) throw GenerationException.canceled();
      }
      for (int i = 0; i < job.request().options().sampleCount(); i++) {
        Files.writeString(
            job.sampleFile(i),
            "sample " + i + " of " + job.taskId() + " seed " + job.request().options().seed());
      }
    } catch (InterruptedException e) {
      throw GenerationException.canceled();
    } catch (IOException e) {
      throw GenerationException.transientFailure("disk", e);
    }
    return GenerationResult.of(job.request().options().sampleCount());
  }
}
