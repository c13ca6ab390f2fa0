package dev.tween.outage;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The node's log events (it runs in the test's JVM), to count WARN lines and stack traces. */
final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  LogCapture() {
    appender.start();
    root.addAppender(appender);
  }

  List<ILoggingEvent> events() {
    synchronized (appender.list) {
      return List.copyOf(appender.list);
    }
  }

  long count(Level level, String text) {
    return events().stream()
        .filter(e -> e.getLevel() == level && e.getFormattedMessage().contains(text))
        .count();
  }

  /** Events at WARN or above, or carrying a stack trace. */
  List<String> noisy() {
    return events().stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
        .map(e -> e.getLevel() + " " + e.getFormattedMessage())
        .toList();
  }

  /**
   * One WARN when {@code dependency} went away, one INFO when it came back, no other WARN, ERROR or
   * stack trace.
   */
  void assertOneQuietOutage(String dependency) {
    assertThat(count(Level.WARN, "event=dependency_down dependency=" + dependency)).isEqualTo(1);
    assertThat(count(Level.INFO, "event=dependency_up dependency=" + dependency)).isEqualTo(1);
    assertThat(noisy())
        .as("WARN/ERROR lines and stack traces")
        .filteredOn(
            line ->
                !line.contains("event=poster_failed")) // the fake generator's samples are no MP4s
        .allMatch(line -> line.contains("dependency_down"));
  }

  @Override
  public void close() {
    root.detachAppender(appender);
  }
}
