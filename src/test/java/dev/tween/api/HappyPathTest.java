package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.testing.FFprobe;
import dev.tween.testing.Images;
import dev.tween.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product on embedded defaults: a real server with the local engine and SQLite, a client
 * that submits, polls and downloads, and ffprobe judging the MP4s.
 */
class HappyPathTest {
  @TempDir Path dir;

  @Test
  void submitPollDownloadAndProbe() throws Exception {
    try (TestNode node = TestNode.start(dir, Optional.empty(), Map.of())) {
      String body =
          """
          {"image": "%s", "last_frame_image": "%s", "prompt": "a slow pan", "duration": 4,
           "resolution": "720p", "aspect_ratio": "9:16", "sample_count": 2, "generate_audio": true}"""
              .formatted(
                  Images.dataUri(Images.png(400, 300, 0)),
                  Images.base64(Images.jpeg(400, 300, 40)));
      String id = node.submit(body);
      List<Integer> progress = new ArrayList<>();
      JsonNode done =
          await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> {
                    JsonNode r = node.result(id);
                    progress.add(r.at("/task/progress_percent").asInt());
                    return r;
                  },
                  r -> r.at("/task/status").asText().matches("TASK_STATUS_(SUCCEED|FAILED)"));

      assertThat(done.at("/task/status").asText())
          .as(done.toString())
          .isEqualTo("TASK_STATUS_SUCCEED");
      assertThat(progress).as("progress never goes down").isSorted();
      assertThat(progress).anyMatch(p -> p > 0 && p < 100);
      assertThat(done.at("/extra/seed").asText()).matches("\\d+");
      assertThat(done.get("videos")).hasSize(2);
      assertThat(done.get("images")).hasSize(1);
      var poster = node.download(done.at("/images/0/image_url").asText(), Map.of());
      assertThat(poster.statusCode()).isEqualTo(200);
      assertThat(poster.headers().firstValue("Content-Type")).contains("image/jpeg");
      assertThat(poster.body()[0] & 0xff).isEqualTo(0xff);
      assertThat(poster.body()[1] & 0xff).isEqualTo(0xd8);
      String metrics = node.get("/metrics", null).body();
      assertThat(metrics).contains("tween_tasks{state=\"TASK_STATUS_SUCCEED\"} 1.0");
      assertThat(metrics).containsPattern("tween_engine_frame_seconds_count [1-9]");
      assertThat(metrics)
          .containsPattern(
              "tween_http_request_seconds_count\\{method=\"GET\",route=\"/v3/async/task-result\",status=\"200\"\\} [1-9]");
      assertThat(metrics)
          .contains("tween_task_duration_seconds_count{state=\"TASK_STATUS_SUCCEED\"} 1");
      for (JsonNode v : done.get("videos")) {
        var dl = node.download(v.get("video_url").asText(), Map.of());
        assertThat(dl.statusCode()).isEqualTo(200);
        Path mp4 = dir.resolve("dl-" + System.nanoTime() + ".mp4");
        Files.write(mp4, dl.body());
        FFprobe.Stream video = FFprobe.video(mp4);
        assertThat(video.codec()).isEqualTo("h264");
        assertThat(video.pixFmt()).isEqualTo("yuv420p");
        assertThat(video.width()).isEqualTo(720);
        assertThat(video.height()).isEqualTo(1280);
        assertThat(video.frames()).isEqualTo(96);
        assertThat(FFprobe.streams(mp4))
            .anyMatch(s -> s.type().equals("audio") && s.codec().equals("aac"));
      }
    }
  }
}
