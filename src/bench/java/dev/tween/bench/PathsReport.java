package dev.tween.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The second table of {@code bench speed}: the same 8 s clip as people meet it, each against the
 * encode-only times of its size measured in the same run: the engine warm in the bench's JVM,
 * through a warm {@code ./tween serve} (HTTP submit to SUCCEED), and cold in a new JVM ({@code
 * ./tween generate}, with and without the start-up cache); and how soon {@code ./tween serve}
 * answers {@code /healthz}.
 */
final class PathsReport {
  private PathsReport() {}

  private record Line(String what, String resolution, double seconds, SpeedBench.Row size) {
    String ratio(double encode) {
      return size == null || Double.isNaN(seconds)
          ? "–"
          : String.format(Locale.ROOT, "%.2f×", seconds / encode);
    }
  }

  private static List<Line> lines(
      List<SpeedBench.Row> rows, List<ServerPath.Timing> server, ColdStart.Timing[] cold) {
    var out = new ArrayList<Line>();
    for (SpeedBench.Row r : rows) {
      if (r.engineS() < Double.MAX_VALUE)
        out.add(new Line("engine in the bench's JVM, warm", r.resolution(), r.engineS(), r));
    }
    for (ServerPath.Timing t : server) {
      out.add(
          new Line(
              "server: HTTP submit → SUCCEED, warm node (median " + fmt(t.medianSeconds()) + " s)",
              size(t.resolution()),
              t.seconds(),
              row(rows, size(t.resolution()))));
    }
    if (cold != null) {
      SpeedBench.Row r720 = row(rows, "1280x720");
      out.add(
          new Line(
              "`./tween generate`, new JVM, start-up cache",
              "1280x720",
              cold[0].withCache(),
              r720));
      out.add(
          new Line(
              "`./tween generate`, new JVM, no start-up cache",
              "1280x720",
              cold[0].withoutCache(),
              r720));
      out.add(
          new Line(
              "`./tween serve` → `/healthz`, empty data dir, start-up cache",
              "",
              cold[1].withCache(),
              null));
      out.add(
          new Line(
              "`./tween serve` → `/healthz`, empty data dir, no start-up cache",
              "",
              cold[1].withoutCache(),
              null));
    }
    return out;
  }

  static String markdown(
      List<SpeedBench.Row> rows,
      List<ServerPath.Timing> server,
      ColdStart.Timing[] cold,
      int repeat) {
    var md =
        new StringBuilder(
            "\n## Warm, through the server, and cold\n\nThe same 8 s clip (192 frames, same"
                + " keyframes). Each time is the fastest of "
                + repeat
                + " runs; the ratios divide it by the encode-only times of its size in the table"
                + " above. Every round times the engine, the encode-only baselines, one server task"
                + " and (720p) one cold round back to back, so all see the same load. Server: a node started by `./tween serve` (1 GiB heap, start-up cache,"
                + " workers at nice +10), warmed by earlier tasks; the time runs from just before"
                + " the submit until the node commits SUCCEED (its `complete_time_ms`; both read"
                + " the machine's clock), task-result polled every 250 ms (at 20 ms the polls took"
                + " ~0.4 s of a 720p task's cores). Cold: a new"
                + " JVM through the launcher for each run, alternating with and without the"
                + " start-up cache (`TWEEN_AOT=off`); `serve` from process start until `/healthz`"
                + " answers 200, on an empty data directory.\n\n"
                + "| what | size | s | / encode-only (BGR in) | / encode-only (I420 in) |\n"
                + "|---|---|---|---|---|\n");
    for (Line l : lines(rows, server, cold)) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s |%n",
              l.what(),
              l.resolution().isEmpty() ? "–" : l.resolution(),
              Double.isNaN(l.seconds()) ? "no cache (JDK < 25)" : "**" + fmt(l.seconds()) + "**",
              l.size() == null ? "–" : l.ratio(l.size().encodeS()),
              l.size() == null ? "–" : l.ratio(l.size().encodeI420S())));
    }
    for (ServerPath.Timing t : server) {
      long[] p = t.phasesMs();
      md.append(
          String.format(
              Locale.ROOT,
              "%nWhere the fastest %s server run went (the node's `task_succeeded` log line):"
                  + " reading the stored inputs %d ms, generating %d ms (decoding the inputs"
                  + " included), storing the video %d ms, storing the poster %d ms, the SUCCEED"
                  + " write %d ms; the rest of the %.2f s is the submit and the claim.%n",
              t.resolution(),
              p[0],
              p[1],
              p[2],
              p[3],
              p[4],
              t.seconds()));
    }
    return md.toString();
  }

  static String csv(
      List<SpeedBench.Row> rows, List<ServerPath.Timing> server, ColdStart.Timing[] cold) {
    var csv = new StringBuilder("what,resolution,seconds,over_encode_only,over_encode_only_i420\n");
    for (Line l : lines(rows, server, cold)) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%.2f,%s,%s%n",
              Csv.field(l.what()),
              Csv.field(l.resolution()),
              l.seconds(),
              l.size() == null ? "" : l.ratio(l.size().encodeS()).replace("×", ""),
              l.size() == null ? "" : l.ratio(l.size().encodeI420S()).replace("×", "")));
    }
    return csv.toString();
  }

  private static String size(String resolution) {
    return resolution.equals("720p") ? "1280x720" : "1920x1080";
  }

  private static SpeedBench.Row row(List<SpeedBench.Row> rows, String size) {
    return rows.stream().filter(r -> r.resolution().equals(size)).findFirst().orElse(null);
  }

  private static String fmt(double s) {
    return String.format(Locale.ROOT, "%.2f", s);
  }
}
