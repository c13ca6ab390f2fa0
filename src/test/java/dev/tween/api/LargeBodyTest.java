package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.testing.Bodies;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.Images;
import dev.tween.testing.MutableClock;
import dev.tween.testing.TestNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Big submit bodies: refused from their size before any work, bounded in number, shed before being
 * read.
 */
class LargeBodyTest {
  private static final String SUBMIT = "/v3/async/veo-3.1-lite-flf2v";

  @TempDir Path dir;

  @Test
  void anImageOver20MibIsRefusedFromItsBase64LengthWithoutDecoding() throws Exception {
    try (TestNode node =
        TestNode.start(dir, Optional.of(FakeGenerator.instant()), Map.of("workers", "0"))) {
      // 28 Mi base64 characters of 'A' decode to zeros, which is no image: a decoder would say so.
      String image = "A".repeat(28 << 20);
      String body =
          "{\"image\":\""
              + image
              + "\",\"last_frame_image\":\""
              + Images.dataUri(Images.png(64, 36, 8))
              + "\",\"prompt\":\"pan\"}";
      var r = node.post(SUBMIT, TestNode.KEY, body);
      assertThat(r.statusCode()).isEqualTo(400);
      JsonNode err = TestNode.json(r.body());
      assertThat(err.get("message").asText())
          .startsWith("image: decodes to " + (21L << 20) + " bytes")
          .contains("20 MiB")
          .doesNotContain("JPEG or PNG");
    }
  }

  @Test
  void aFullQueueAnswers429BeforeTheBodyIsRead() throws Exception {
    var clock = new MutableClock();
    try (TestNode node =
        TestNode.start(
            dir,
            Optional.of(FakeGenerator.instant()),
            Map.of("workers", "0", "queue-capacity", "1"),
            clock)) {
      node.submit(Bodies.simple(1));
      clock.advance(SubmitLimits.DEPTH_CACHE.plusMillis(1)); // the queue depth is counted again
      try (Socket s = open(node, 50_000_000, 0)) {
        assertThat(statusLine(s)).contains(" 429 ");
      }
    }
  }

  @Test
  void largeBodiesBeyondTheBoundAreAnswered503WhileSmallOnesPass() throws Exception {
    int bound = LargeBodies.forHeap(62914560L).count();
    try (TestNode node =
        TestNode.start(dir, Optional.of(FakeGenerator.instant()), Map.of("workers", "0"))) {
      List<Socket> holding = new ArrayList<>();
      try {
        // Each of these sends 1 KiB of a declared 10 MB body and stalls, holding a permit while it
        // is read.
        for (int i = 0; i < bound; i++) holding.add(open(node, 10_000_000, 1024));
        // This one sends all of its body: once the stalled ones hold every permit, it is read and
        // discarded, then answered 503 (before that, it would get a permit and a 400).
        String head =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> answerToAWholeLargeBody(node), h -> !h.startsWith("HTTP/1.1 400 "));
        assertThat(head).startsWith("HTTP/1.1 503 ").containsIgnoringCase("Retry-After: 1");
        assertThat(node.post(SUBMIT, TestNode.KEY, Bodies.simple(1)).statusCode())
            .as("small body")
            .isEqualTo(200);
      } finally {
        for (Socket s : holding) s.close();
      }
    }
  }

  /** The response head to a 2 MB body (of zero bytes, no JSON), sent whole. */
  private static String answerToAWholeLargeBody(TestNode node) throws IOException {
    try (Socket s = open(node, 2_000_000, 0)) {
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  s.getOutputStream().write(new byte[2_000_000]);
                } catch (IOException ignored) {
                  // the caller reads the answer
                }
              });
      return headers(s);
    }
  }

  /**
   * A submit whose headers declare {@code declared} bytes of body, of which only {@code sent} are
   * sent.
   */
  private static Socket open(TestNode node, long declared, int sent) throws IOException {
    URI base = URI.create(node.url("/"));
    Socket s = new Socket(base.getHost(), base.getPort());
    s.setSoTimeout(10_000);
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST "
                + SUBMIT
                + " HTTP/1.1\r\nHost: "
                + base.getHost()
                + "\r\nAuthorization: Bearer "
                + TestNode.KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + declared
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    byte[] part = new byte[sent];
    java.util.Arrays.fill(part, (byte) ' ');
    out.write(part);
    out.flush();
    return s;
  }

  private static String statusLine(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
        .readLine();
  }

  private static String headers(Socket s) throws IOException {
    var in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    var sb = new StringBuilder();
    for (String line; (line = in.readLine()) != null && !line.isEmpty(); )
      sb.append(line).append('\n');
    return sb.toString();
  }
}
