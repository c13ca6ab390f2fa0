package dev.tween.cli;

import java.io.PrintStream;

/** A one-line terminal progress bar; on a non-terminal it prints a line every 10 %. */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final String label;
  private final boolean terminal = System.console() != null;
  private int lastShown = -1;

  public ProgressBar(PrintStream out, String label) {
    this.out = out;
    this.label = label;
  }

  /**
   * @param fraction progress in [0,1]
   */
  public synchronized void update(double fraction) {
    int percent = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
    if (percent == lastShown || (!terminal && percent / 10 == lastShown / 10 && lastShown >= 0))
      return;
    lastShown = percent;
    int filled = percent * WIDTH / 100;
    String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
    if (terminal) out.print("\r" + label + " [" + bar + "] " + percent + "%");
    else out.println(label + " " + percent + "%");
    out.flush();
  }

  public synchronized void done() {
    update(1);
    if (terminal) out.println();
  }
}
