package dev.tween.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Help.Ansi;

/**
 * Progress on stderr. On a terminal: one bar redrawn in place, with the state and the time left; on
 * a pipe or a file: a plain line every 10 %, so logs stay readable.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final String[] EIGHTHS = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};

  private final PrintStream out;
  private final String label;
  private final boolean terminal;
  private final Ansi ansi;
  private final long start = System.nanoTime();
  private int lastPercent = -1;
  private String lastLine = "";
  private String lastState = "";
  private boolean open;

  ProgressBar(PrintStream out, String label, boolean terminal) {
    this.out = out;
    this.label = label;
    this.terminal = terminal;
    this.ansi = terminal && System.getenv("NO_COLOR") == null ? Ansi.ON : Ansi.OFF;
  }

  /** A bar on stderr, drawn in place when stderr is a terminal. */
  static ProgressBar onStderr(String label) {
    return new ProgressBar(System.err, label, stderrIsTerminal());
  }

  /**
   * @param fraction progress in [0,1]
   */
  synchronized void update(double fraction) {
    update(fraction, "");
  }

  /**
   * @param fraction progress in [0,1]
   * @param state a word shown next to the bar ("queued"), or empty
   */
  synchronized void update(double fraction, String state) {
    double f = Math.max(0, Math.min(1, fraction));
    int percent = (int) Math.floor(f * 100);
    if (!terminal) {
      if (lastPercent >= 0 && percent / 10 == lastPercent / 10) return;
      lastPercent = percent;
      out.println(label + " " + percent + "%" + (state.isEmpty() ? "" : " " + state));
      out.flush();
      return;
    }
    lastState = state;
    String line = line(f, percent, state);
    if (line.equals(lastLine)) return;
    lastLine = line;
    lastPercent = percent;
    out.print("\r" + line + "\033[K");
    out.flush();
    open = true;
  }

  private String line(double f, int percent, String state) {
    int eighths = (int) Math.round(f * WIDTH * 8);
    String filled = "█".repeat(eighths / 8) + EIGHTHS[eighths % 8];
    String empty = "░".repeat(WIDTH - filled.length());
    var s = new StringBuilder(label).append(" ");
    s.append(ansi.string("@|green " + filled + "|@"))
        .append(ansi.string("@|faint " + empty + "|@"));
    s.append(String.format(" %3d%%", percent));
    if (!state.isEmpty()) s.append(" · ").append(state);
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (f >= 0.05 && f < 1)
      s.append(" · ").append(Math.round(elapsed / f * (1 - f))).append(" s left");
    else if (f >= 1) s.append(" · ").append(String.format("%.1f s", elapsed));
    return s.toString();
  }

  /** The bar at 100 % (with the last state it showed), its line ended. */
  synchronized void done() {
    if (lastPercent < 100) update(1, lastState);
    end();
  }

  /** Ends the bar's line, so that a message printed next starts on a line of its own. */
  synchronized void end() {
    if (open) out.println();
    open = false;
  }

  /** Whether stderr is a terminal (Linux: where fd 2 points; elsewhere: is there a console). */
  static boolean stderrIsTerminal() {
    if ("dumb".equals(System.getenv("TERM"))) return false;
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return System.console() != null;
    }
  }
}
