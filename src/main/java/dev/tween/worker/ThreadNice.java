package dev.tween.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the calling thread's scheduling weight. On Linux, nice is per thread and inherited by the
 * threads it creates: OpenCV's pool and x264's encoder threads started from a worker run at the
 * worker's weight, so HTTP handler threads get the cores first when both want them. The JDK has no
 * call for this; {@code renice} on the thread id does it. Elsewhere it does nothing.
 */
final class ThreadNice {
  private static final Logger log = LoggerFactory.getLogger(ThreadNice.class);
  private static final Path SELF = Path.of("/proc/thread-self");

  private ThreadNice() {}

  /** Adds {@code increment} to this thread's nice value (at most 19, the lowest weight). */
  static void lower(int increment) {
    if (increment <= 0 || !Files.exists(SELF)) return;
    try {
      String tid = Files.readSymbolicLink(SELF).getFileName().toString(); // "<pid>/task/<tid>"
      int target = Math.min(19, current() + increment);
      Process p =
          new ProcessBuilder("renice", "-n", Integer.toString(target), "-p", tid)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        log.warn("event=worker_nice_failed nice={} tid={} output=\"{}\"", target, tid, out);
        return;
      }
      log.info(
          "event=worker_nice thread={} tid={} nice={}",
          Thread.currentThread().getName(),
          tid,
          target);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("event=worker_nice_failed increment={} error=\"{}\"", increment, e.toString());
    }
  }

  /** Field 19 of /proc/thread-self/stat, counted after the command name (which may hold spaces). */
  static int current() throws java.io.IOException {
    String stat = Files.readString(SELF.resolve("stat"));
    return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
  }
}
