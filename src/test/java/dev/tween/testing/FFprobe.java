package dev.tween.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real ffprobe (Debian's ffmpeg package) on a produced file: what a player would see. */
public final class FFprobe {
  private FFprobe() {}

  public record Stream(
      String type,
      String codec,
      int width,
      int height,
      String pixFmt,
      String frameRate,
      long frames,
      int sampleRate,
      int channels,
      double duration,
      String colorSpace,
      String colorRange) {}

  public static List<Stream> streams(Path file) throws IOException, InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder(
                  "ffprobe",
                  "-v",
                  "error",
                  "-count_frames",
                  "-show_streams",
                  "-of",
                  "json",
                  file.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new IOException(
          "ffprobe is not installed (Debian package ffmpeg; ./tween test installs it: apt-get install ffmpeg)",
          e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException("ffprobe failed on " + file + ": " + out);
    JsonNode root = new ObjectMapper().readTree(out);
    List<Stream> streams = new ArrayList<>();
    for (JsonNode s : root.get("streams")) {
      streams.add(
          new Stream(
              s.path("codec_type").asText(),
              s.path("codec_name").asText(),
              s.path("width").asInt(),
              s.path("height").asInt(),
              s.path("pix_fmt").asText(),
              s.path("r_frame_rate").asText(),
              s.path("nb_read_frames").asLong(s.path("nb_frames").asLong()),
              s.path("sample_rate").asInt(),
              s.path("channels").asInt(),
              s.path("duration").asDouble(),
              s.path("color_space").asText(),
              s.path("color_range").asText()));
    }
    return streams;
  }

  public static Stream video(Path file) throws IOException, InterruptedException {
    return streams(file).stream()
        .filter(s -> s.type().equals("video"))
        .findFirst()
        .orElseThrow(() -> new AssertionError(file + " has no video stream"));
  }
}
