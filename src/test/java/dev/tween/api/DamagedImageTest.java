package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.Images;
import dev.tween.testing.TestNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PNGs that libpng refuses (bad CRC, a chunk running past the end, no IEND): inline → 400,
 * downloaded → FAILED.
 */
class DamagedImageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] GOOD = Images.png(64, 36, 0);

  @TempDir Path dir;

  record Damage(String name, UnaryOperator<byte[]> apply, String says) {}

  static final Damage[] DAMAGES = {
    new Damage("IHDR CRC", b -> flip(b, 29), "CRC of its IHDR chunk"),
    new Damage(
        "IDAT CRC",
        b -> flip(b, chunkAt(b, "IDAT") + 8 + length(b, chunkAt(b, "IDAT"))),
        "CRC of its IDAT chunk"),
    new Damage(
        "IDAT overruns the file",
        b -> {
          byte[] c = b.clone();
          int at = chunkAt(c, "IDAT");
          c[at] = 0x00;
          c[at + 1] = (byte) 0xff; // the declared length grows by ~16 MB, far past the end
          return c;
        },
        "more than the file holds"),
    new Damage("no IEND", b -> Arrays.copyOf(b, b.length - 12), "without an IEND chunk"),
  };

  @Test
  void inlineDamageIsA400NamingTheField() throws Exception {
    try (TestNode node =
        TestNode.start(dir, Optional.of(FakeGenerator.instant()), Map.of("workers", "0"))) {
      for (Damage d : DAMAGES) {
        for (String field : new String[] {"image", "last_frame_image"}) {
          ObjectNode body = body(Images.dataUri(GOOD));
          body.put(field, Images.dataUri(d.apply().apply(GOOD)));
          var r = node.post("/v3/async/veo-3.1-lite-flf2v", TestNode.KEY, body.toString());
          assertThat(r.statusCode()).as(d.name() + " in " + field).isEqualTo(400);
          JsonNode err = TestNode.json(r.body());
          assertThat(err.get("message").asText())
              .as(d.name())
              .startsWith(field + ":")
              .contains(d.says());
        }
      }
      assertThat(node.app().tasks().countByStatus().get(dev.tween.task.TaskStatus.QUEUED)).isZero();
    }
  }

  @Test
  void downloadedDamageFailsTheTaskWithTheReason() throws Exception {
    HttpServer images =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    for (int i = 0; i < DAMAGES.length; i++) {
      byte[] bytes = DAMAGES[i].apply().apply(GOOD);
      images.createContext(
          "/" + i + ".png",
          ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/png");
            ex.sendResponseHeaders(200, bytes.length);
            try (var out = ex.getResponseBody()) {
              out.write(bytes);
            }
          });
    }
    images.start();
    var generator = FakeGenerator.instant();
    try (TestNode node = TestNode.start(dir, generator)) {
      String base = "http://127.0.0.1:" + images.getAddress().getPort() + "/";
      for (int i = 0; i < DAMAGES.length; i++) {
        String id = node.submit(body(base + i + ".png").toString());
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> node.result(id).at("/task/status").asText().equals("TASK_STATUS_FAILED"));
        String reason = node.result(id).at("/task/reason").asText();
        assertThat(reason)
            .as(DAMAGES[i].name())
            .startsWith("image: the downloaded image is")
            .contains(DAMAGES[i].says());
      }
      assertThat(generator.calls).hasValue(0);
    } finally {
      images.stop(0);
    }
  }

  private static ObjectNode body(String image) {
    ObjectNode n = JSON.createObjectNode();
    n.put("image", image);
    n.put("last_frame_image", Images.dataUri(Images.png(64, 36, 8)));
    n.put("prompt", "pan");
    n.put("duration", 4);
    return n;
  }

  private static byte[] flip(byte[] b, int at) {
    byte[] c = b.clone();
    c[at] ^= 0x01;
    return c;
  }

  private static int length(byte[] b, int at) {
    return (b[at] & 0xff) << 24
        | (b[at + 1] & 0xff) << 16
        | (b[at + 2] & 0xff) << 8
        | b[at + 3] & 0xff;
  }

  /** Offset of the first chunk of that type (its length field). */
  private static int chunkAt(byte[] b, String type) {
    int pos = 8;
    while (pos + 8 <= b.length) {
      if (new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals(type))
        return pos;
      pos += 12 + length(b, pos);
    }
    throw new IllegalArgumentException("no " + type);
  }
}
