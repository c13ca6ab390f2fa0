package dev.tween.worker;

import static dev.tween.testing.Specs.ANY_GENERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationResult;
import dev.tween.generate.Generator;
import dev.tween.generate.InputImage;
import dev.tween.health.Health;
import dev.tween.storage.BlobKeys;
import dev.tween.storage.LocalBlobStore;
import dev.tween.store.Claim;
import dev.tween.store.Database;
import dev.tween.store.NewTask;
import dev.tween.store.TaskStore;
import dev.tween.task.Task;
import dev.tween.task.TaskStatus;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.MutableClock;
import dev.tween.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One attempt against a real SQLite store: how each way an attempt can end (success, failure,
 * client cancel, lost lease, shutdown) shows in the task's row. The heartbeat is ticked by hand, so
 * nothing here waits for the wall clock.
 */
class TaskRunTest {
  private static final Duration LEASE = Duration.ofSeconds(60);

  @TempDir Path dir;
  final MutableClock clock = new MutableClock();
  final ManualScheduler scheduler = new ManualScheduler();
  Database db;
  TaskStore store;
  LocalBlobStore blobs;

  @BeforeEach
  void open() {
    db = Database.open("jdbc:sqlite:" + dir.resolve("t.db"), "", "", 2);
    store = TaskStore.of(db, clock);
    blobs = new LocalBlobStore(dir.resolve("blobs"));
  }

  @AfterEach
  void close() {
    scheduler.shutdownNow();
    db.close();
  }

  @Test
  void successStoresEverySampleAndSucceeds() {
    Claim claim = submitAndClaim();
    run(claim, FakeGenerator.instant());

    Task task = get(claim);
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCEED);
    assertThat(task.samples()).isEqualTo(1);
    assertThat(task.progressPercent()).isEqualTo(100);
    assertThat(Files.exists(dir.resolve("blobs").resolve(BlobKeys.video(claim.taskId(), 0))))
        .isTrue();
  }

  @Test
  void permanentFailureEndsTheTaskWithItsReason() {
    Claim claim = submitAndClaim();
    run(claim, failing(GenerationException.permanent("the prompt was refused")));

    Task task = get(claim);
    assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(task.reason()).isEqualTo("the prompt was refused");
  }

  @Test
  void transientFailureIsRetriedAndCounted() {
    Claim claim = submitAndClaim();
    run(claim, failing(GenerationException.transientFailure("upstream 503", null)));

    Task task = get(claim);
    assertThat(task.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(task.failures()).isEqualTo(1);
  }

  @Test
  void clientCancelEndsTheTaskCanceled() {
    Claim claim = submitAndClaim();
    run(
        claim,
        stopsAfter(
            () -> {
              store.requestCancel(claim.task().tenant(), claim.taskId());
              scheduler.tick();
            }));

    Task task = get(claim);
    assertThat(task.status()).isEqualTo(TaskStatus.CANCELED);
    assertThat(task.failures()).isZero();
  }

  @Test
  void lostLeaseWritesNothingOverTheNewAttempt() {
    Claim claim = submitAndClaim();
    run(
        claim,
        stopsAfter(
            () -> {
              clock.advance(LEASE.plusSeconds(1));
              store.recoverExpiredLeases(3);
              assertThat(store.claim("other-node", LEASE, ANY_GENERATOR)).isPresent();
              scheduler.tick();
            }));

    Task task = get(claim);
    assertThat(task.status()).isEqualTo(TaskStatus.PROCESSING);
    assertThat(task.attempt()).isEqualTo(2);
    assertThat(task.failures()).isZero();
  }

  @Test
  void shutdownGivesTheTaskBackUncounted() {
    Claim claim = submitAndClaim();
    run(claim, stopsAfter(() -> Thread.currentThread().interrupt()));
    assertThat(Thread.interrupted()).as("the interrupt is kept for the worker loop").isTrue();

    Task task = get(claim);
    assertThat(task.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(task.failures()).isZero();
    assertThat(task.crashes()).isZero();
  }

  @Test
  void aCancelAfterTheGeneratorFinishedStillCancels() {
    Claim claim = submitAndClaim();
    Generator finishesThenCanceled =
        generator(
            job -> {
              GenerationResult r = FakeGenerator.instant().generate(job);
              store.requestCancel(claim.task().tenant(), claim.taskId());
              scheduler.tick();
              return r;
            });
    run(claim, finishesThenCanceled);

    assertThat(get(claim).status()).isEqualTo(TaskStatus.CANCELED);
  }

  private Claim submitAndClaim() {
    store.insert(new NewTask("t1", "tenant", Specs.simple()));
    return store.claim("this-node", LEASE, ANY_GENERATOR).orElseThrow();
  }

  private Task get(Claim claim) {
    return store.findById(claim.taskId()).orElseThrow();
  }

  private void run(Claim claim, Generator generator) {
    var settings =
        new WorkerSettings(
            1,
            LEASE,
            Duration.ofSeconds(15),
            Duration.ofSeconds(1),
            5,
            3,
            Duration.ofSeconds(15),
            dir.resolve("work"),
            0);
    InputResolver inputs =
        (field, ref) -> new InputImage(new byte[] {1, 2, 3}, InputImage.Format.PNG);
    new TaskRun(
            claim,
            store,
            blobs,
            generator,
            inputs,
            PosterMaker.NONE,
            TaskListener.NONE,
            settings,
            clock,
            scheduler,
            new Health(List.of()))
        .run();
  }

  @FunctionalInterface
  interface Generate {
    GenerationResult apply(GenerationJob job) throws GenerationException;
  }

  private static Generator generator(Generate body) {
    return new Generator() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public GenerationResult generate(GenerationJob job) throws GenerationException {
        return body.apply(job);
      }
    };
  }

  private static Generator failing(GenerationException e) {
    return generator(
        job -> {
          throw e;
        });
  }

  /** Does {@code meanwhile}, then stops the way generators do once the job says so. */
  private static Generator stopsAfter(Runnable meanwhile) {
    return generator(
        job -> {
          meanwhile.run();
          assertThat(job.canceled()).as("the job tells the generator to stop").isTrue();
          throw GenerationException.canceled();
        });
  }

  /** Keeps the heartbeat instead of running it on a timer; {@link #tick()} runs it once. */
  static final class ManualScheduler extends ScheduledThreadPoolExecutor {
    private volatile Runnable beat;

    ManualScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      beat = command;
      return schedule(() -> {}, 1, TimeUnit.DAYS);
    }

    void tick() {
      beat.run();
    }
  }
}
