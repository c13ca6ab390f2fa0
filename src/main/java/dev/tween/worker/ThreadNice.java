package dev.tween.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the calling thread's scheduling weight. On Linux, nice is per thread and inherited by the
 * threads it creates: OpenCV's pool and x264's encoder threads started from a worker run at the
 * worker's weight, so HTTP handler threads (nice 0) get the cores first when both want them. The JDK
 * has no call for this; {@code renice} on the thread id does it. Elsewhere it does nothing.
 */
final class ThreadNice {
  private static final Logger log = LoggerFactory.getLogger(ThreadNice.class);

  private ThreadNice() {}

  static void apply(int nice) {
    if (nice == 0) return;
    Path self = Path.of("/proc/thread-self");
    try {
      if (!Files.exists(self)) return;
      String tid = Files.readSymbolicLink(self).getFileName().toString(); // "<pid>/task/<tid>"
      Process p = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        log.warn("event=worker_nice_failed nice={} tid={} output=\"{}\"", nice, tid, out);
        return;
      }
      log.info("event=worker_nice thread={} tid={} nice={}", Thread.currentThread().getName(), tid, nice);
    } catch (Exception e) {
      log.warn("event=worker_nice_failed nice={} error=\"{}\"", nice, e.toString());
    }
  }
}
