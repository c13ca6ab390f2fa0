package dev.tween.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationResult;
import dev.tween.generate.Generator;
import dev.tween.testing.Bodies;
import dev.tween.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generation runs at the configured nice value, and so do the threads it starts; HTTP threads do
 * not.
 */
class WorkerNiceTest {
  @TempDir Path dir;

  @Test
  void theGeneratorAndItsThreadsRunAtTheWorkerNiceValue() throws Exception {
    List<Integer> seen = new CopyOnWriteArrayList<>();
    Generator probe =
        new Generator() {
          @Override
          public String name() {
            return "nice-probe";
          }

          @Override
          public GenerationResult generate(GenerationJob job) {
            seen.add(niceOfThisThread());
            Thread child =
                new Thread(() -> seen.add(niceOfThisThread())); // like OpenCV's or x264's threads
            child.start();
            try {
              child.join();
              Files.writeString(job.sampleFile(0), "sample");
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            return GenerationResult.of(1);
          }
        };
    try (TestNode node = TestNode.start(dir, Optional.of(probe), Map.of("worker-nice", "7"))) {
      node.submit(Bodies.simple(1));
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 2);
      int base = niceOfThisThread();
      assertThat(seen).containsExactly(Math.min(19, base + 7), Math.min(19, base + 7));
    }
  }

  static int niceOfThisThread() {
    try {
      return ThreadNice.current();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
