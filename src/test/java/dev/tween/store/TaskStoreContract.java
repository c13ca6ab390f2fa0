package dev.tween.store;

import static dev.tween.testing.Specs.ANY_GENERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.store.TaskStore.CancelOutcome;
import dev.tween.store.TaskStore.FailOutcome;
import dev.tween.store.TaskStore.HeartbeatResult;
import dev.tween.task.Task;
import dev.tween.task.TaskStatus;
import dev.tween.testing.MutableClock;
import dev.tween.testing.Specs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue's contract, run against every database: subclasses say how to open a fresh one. */
abstract class TaskStoreContract {
  static final Duration LEASE = Duration.ofSeconds(60);
  final MutableClock clock = new MutableClock();
  Database db;
  TaskStore store;

  abstract Database openFreshDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    db = openFreshDatabase();
    store = new JdbcTaskStore(db, clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  String insert(String tenant) {
    String id = UUID.randomUUID().toString();
    store.insert(new NewTask(id, tenant, Specs.simple()));
    clock.advance(Duration.ofMillis(1));
    return id;
  }

  Task get(String id) {
    return store.findById(id).orElseThrow();
  }

  @Test
  void insertedTaskIsQueuedAndVisibleOnlyToItsTenant() {
    String id = insert("a");
    assertThat(store.find("a", id)).map(Task::status).contains(TaskStatus.QUEUED);
    assertThat(store.find("b", id)).isEmpty();
    assertThat(get(id).spec()).isEqualTo(Specs.simple());
  }

  @Test
  void claimsOldestFirstAndEachTaskOnce() {
    String first = insert("a");
    String second = insert("a");
    assertThat(store.claim("w1", LEASE, ANY_GENERATOR)).map(Claim::taskId).contains(first);
    assertThat(store.claim("w2", LEASE, ANY_GENERATOR)).map(Claim::taskId).contains(second);
    assertThat(store.claim("w3", LEASE, ANY_GENERATOR)).isEmpty();
    assertThat(get(first).status()).isEqualTo(TaskStatus.PROCESSING);
    assertThat(get(first).attempt()).isEqualTo(1);
  }

  @Test
  void concurrentClaimersNeverShareATask() throws Exception {
    int tasks = 60;
    for (int i = 0; i < tasks; i++) insert("a");
    Set<String> claimed = ConcurrentHashMap.newKeySet();
    List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
    var start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      String owner = "w" + w;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    Optional<Claim> c;
                    while ((c = store.claim(owner, LEASE, ANY_GENERATOR)).isPresent()) {
                      if (!claimed.add(c.get().taskId())) duplicates.add(c.get().taskId());
                    }
                  }));
    }
    start.countDown();
    for (Thread t : threads) t.join();
    assertThat(duplicates).isEmpty();
    assertThat(claimed).hasSize(tasks);
  }

  @Test
  void succeedStoresSamplesAndIsFinal() {
    String id = insert("a");
    Claim c = store.claim("w", LEASE, ANY_GENERATOR).orElseThrow();
    assertThat(store.succeed(c, 2, "", false)).isTrue();
    Task t = get(id);
    assertThat(t.status()).isEqualTo(TaskStatus.SUCCEED);
    assertThat(t.samples()).isEqualTo(2);
    assertThat(t.progressPercent()).isEqualTo(100);
    assertThat(t.finishedAt()).isPresent();
    assertThat(store.succeed(c, 2, "", false))
        .as("a final state cannot be written twice")
        .isFalse();
  }

  @Test
  void progressNeverGoesDown() {
    String id = insert("a");
    Claim c = store.claim("w", LEASE, ANY_GENERATOR).orElseThrow();
    store.heartbeat(c, LEASE, 40, 10);
    store.heartbeat(c, LEASE, 30, 12);
    assertThat(get(id).progressPercent()).isEqualTo(40);
    assertThat(get(id).etaSeconds()).isEqualTo(12);
  }

  @Test
  void expiredLeaseIsRequeuedAndTheOldOwnerCanNoLongerWrite() {
    String id = insert("a");
    Claim old = store.claim("dead", LEASE, ANY_GENERATOR).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    assertThat(store.recoverExpiredLeases(3)).isEqualTo(1);
    assertThat(get(id).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(get(id).crashes()).isEqualTo(1);

    Claim fresh = store.claim("alive", LEASE, ANY_GENERATOR).orElseThrow();
    assertThat(fresh.attempt()).isEqualTo(2);
    assertThat(store.succeed(old, 1, "", false)).isFalse();
    assertThat(store.heartbeat(old, LEASE, 50, 1)).isEqualTo(HeartbeatResult.LOST);
    assertThat(store.fail(old, "x", false, 5, Duration.ZERO)).isEqualTo(FailOutcome.LOST);
    assertThat(store.succeed(fresh, 1, "", false)).isTrue();
  }

  @Test
  void heartbeatKeepsTheLeaseAlive() {
    String id = insert("a");
    Claim c = store.claim("w", LEASE, ANY_GENERATOR).orElseThrow();
    clock.advance(LEASE.minusSeconds(5));
    assertThat(store.heartbeat(c, LEASE, 10, 5)).isEqualTo(HeartbeatResult.OK);
    clock.advance(Duration.ofSeconds(30));
    assertThat(store.recoverExpiredLeases(3)).isZero();
    assertThat(get(id).status()).isEqualTo(TaskStatus.PROCESSING);
  }

  @Test
  void aTaskThatKeepsCrashingEndsFailedWithAReason() {
    String id = insert("a");
    for (int i = 0; i < 3; i++) {
      assertThat(store.claim("w" + i, LEASE, ANY_GENERATOR)).isPresent();
      clock.advance(LEASE.plusSeconds(1));
      store.recoverExpiredLeases(3);
    }
    Task t = get(id);
    assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(t.reason()).contains("3 times");
    assertThat(store.claim("w", LEASE, ANY_GENERATOR)).isEmpty();
  }

  @Test
  void retryableFailureBacksOffThenGivesUp() {
    String id = insert("a");
    Duration base = Duration.ofSeconds(10);
    Claim c1 = store.claim("w", LEASE, ANY_GENERATOR).orElseThrow();
    assertThat(store.fail(c1, "upstream 503", true, 2, base)).isEqualTo(FailOutcome.REQUEUED);
    assertThat(get(id).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(store.claim("w", LEASE, ANY_GENERATOR)).as("not before the backoff ends").isEmpty();
    clock.advance(Duration.ofSeconds(13));
    Claim c2 = store.claim("w", LEASE, ANY_GENERATOR).orElseThrow();
    assertThat(store.fail(c2, "upstream 503", true, 2, base)).isEqualTo(FailOutcome.FAILED);
    assertThat(get(id).reason()).isEqualTo("upstream 503 (gave up after 2 attempts)");
  }

  @Test
  void permanentFailureEndsAtOnce() {
    String id = insert("a");
    Claim c = store.claim("w", LEASE, ANY_GENERATOR).orElseThrow();
    assertThat(store.fail(c, "image: not a PNG", false, 5, Duration.ZERO))
        .isEqualTo(FailOutcome.FAILED);
    assertThat(get(id).status()).isEqualTo(TaskStatus.FAILED);
    assertThat(get(id).reason()).isEqualTo("image: not a PNG");
  }

  @Test
  void cancelQueuedAtOnceAndRunningWhenTheWorkerNotices() {
    String queued = insert("a");
    String running = insert("a");
    store.claim("w", LEASE, ANY_GENERATOR); // takes `queued`, the older one
    String other = running;
    assertThat(store.requestCancel("b", other)).isEqualTo(CancelOutcome.NOT_FOUND);
    assertThat(store.requestCancel("a", other)).isEqualTo(CancelOutcome.CANCELED);
    assertThat(get(other).status()).isEqualTo(TaskStatus.CANCELED);

    assertThat(store.requestCancel("a", queued)).isEqualTo(CancelOutcome.CANCEL_REQUESTED);
    Claim c = new Claim(get(queued), "w", 1);
    assertThat(store.heartbeat(c, LEASE, 5, 1)).isEqualTo(HeartbeatResult.CANCEL_REQUESTED);
    assertThat(store.markCanceled(c)).isTrue();
    assertThat(get(queued).status()).isEqualTo(TaskStatus.CANCELED);
    assertThat(store.requestCancel("a", queued)).isEqualTo(CancelOutcome.ALREADY_FINAL);
  }

  @Test
  void listIsNewestFirstWithCursorAndStatusFilter() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) ids.add(insert("a"));
    insert("b");
    List<Task> page1 = store.list("a", Optional.empty(), 2, Optional.empty());
    assertThat(page1).extracting(Task::id).containsExactly(ids.get(4), ids.get(3));
    Task last = page1.getLast();
    var cursor = new TaskStore.Cursor(last.createdAt().toEpochMilli(), last.id());
    assertThat(store.list("a", Optional.empty(), 10, Optional.of(cursor)))
        .extracting(Task::id)
        .containsExactly(ids.get(2), ids.get(1), ids.get(0));
    store.claim("w", LEASE, ANY_GENERATOR);
    assertThat(store.list("a", Optional.of(TaskStatus.PROCESSING), 10, Optional.empty()))
        .extracting(Task::id)
        .containsExactly(ids.get(0));
    Set<TaskStatus> seen = new HashSet<>(store.countByStatus().keySet());
    assertThat(seen).contains(TaskStatus.QUEUED);
    assertThat(store.countByStatus().get(TaskStatus.QUEUED)).isEqualTo(5);
  }

  @Test
  void aFinalStateSchedulesItsWebhookAndOneSenderClaimsIt() {
    String id = UUID.randomUUID().toString();
    var spec = Specs.simple();
    var withHook =
        new dev.tween.task.TaskSpec(
            spec.firstFrame(),
            spec.lastFrame(),
            spec.options(),
            Optional.of("https://hooks.example/x"));
    store.insert(new NewTask(id, "a", withHook));
    var hooks = new WebhookQueue(db, clock);
    assertThat(hooks.claim(Duration.ofMinutes(2))).as("nothing due before the task ends").isEmpty();
    Claim c = store.claim("w", LEASE, ANY_GENERATOR).orElseThrow();
    assertThat(store.succeed(c, 1, "", false)).isTrue();
    var due = hooks.claim(Duration.ofMinutes(2));
    assertThat(due).map(d -> d.task().id()).contains(id);
    assertThat(hooks.claim(Duration.ofMinutes(2))).as("claimed: not handed out twice").isEmpty();
    hooks.retryAt(id, clock.millis() + 5_000, "503");
    clock.advance(Duration.ofSeconds(6));
    assertThat(hooks.claim(Duration.ofMinutes(2))).map(d -> d.previousAttempts()).contains(1);
    hooks.delivered(id);
    clock.advance(Duration.ofHours(1));
    assertThat(hooks.claim(Duration.ofMinutes(2))).isEmpty();
  }
}
