package dev.tween.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.keys.RateLimiter;
import dev.tween.store.IdempotencyKeys.Reservation;
import dev.tween.testing.MutableClock;
import dev.tween.testing.PostgresServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State that nodes share through the database, hit by many nodes at the same moment: the first use
 * of an idempotency key or of a tenant's rate bucket must not fail with a duplicate-key error.
 */
class SharedStateRaceTest {
  static final int THREADS = 8;
  @TempDir Path dir;

  List<Database> databases() {
    var pg = PostgresServer.get();
    return List.of(
        Database.open("jdbc:sqlite:" + dir.resolve("r.db"), "", "", THREADS),
        Database.open(pg.freshDatabase(), PostgresServer.USER, "", THREADS));
  }

  static <T> List<Object> race(Supplier<T> call) throws InterruptedException {
    List<Object> out = Collections.synchronizedList(new ArrayList<>());
    var start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                      out.add(call.get());
                    } catch (Exception e) {
                      out.add(e);
                    }
                  }));
    }
    start.countDown();
    for (Thread t : threads) t.join();
    return out;
  }

  @Test
  void concurrentFirstUseOfAnIdempotencyKeyReservesItOnce() throws Exception {
    for (Database db : databases()) {
      try (db) {
        var keys = new IdempotencyKeys(db, new MutableClock());
        List<Object> got = race(() -> keys.reserve("a", "k-1", "sha"));
        assertThat(got).as(db.dialect().name()).hasOnlyElementsOfTypes(Reservation.class);
        assertThat(got.stream().filter(r -> r instanceof Reservation.Reserved).count())
            .as(db.dialect().name())
            .isEqualTo(1);
      }
    }
  }

  @Test
  void concurrentFirstUseOfARateBucketCountsEveryToken() throws Exception {
    for (Database db : databases()) {
      try (db) {
        var limiter = new RateLimiter(db, new MutableClock(), 60, 5);
        List<Object> got = race(() -> limiter.tryAcquire("a"));
        assertThat(got).as(db.dialect().name()).hasOnlyElementsOfTypes(java.util.Optional.class);
        assertThat(got.stream().filter(r -> ((java.util.Optional<?>) r).isEmpty()).count())
            .as(db.dialect().name())
            .isEqualTo(5);
      }
    }
  }
}
