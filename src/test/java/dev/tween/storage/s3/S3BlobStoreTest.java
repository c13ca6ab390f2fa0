package dev.tween.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.storage.BlobStore;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link S3BlobStore} against a real S3-compatible server (s3rver), no mocks. */
class S3BlobStoreTest {
  final S3Server server = S3Server.get();
  final String url = server.freshStorageUrl();
  final S3BlobStore store = S3BlobStore.open(server.settings(url, false));
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  @AfterEach
  void close() {
    store.close();
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void storesReadsAndReplacesWholeBlobs() throws Exception {
    assertThat(store.size("videos/t/0.mp4")).isEmpty();
    store.put("videos/t/0.mp4", random(1000, 1), "video/mp4");
    assertThat(store.size("videos/t/0.mp4")).contains(1000L);
    assertThat(store.readAll("videos/t/0.mp4")).isEqualTo(random(1000, 1));
    store.put("videos/t/0.mp4", random(10, 2), "video/mp4");
    assertThat(store.readAll("videos/t/0.mp4")).isEqualTo(random(10, 2));
  }

  @Test
  void missingBlobIsNoSuchFile() {
    assertThatThrownBy(() -> store.open("videos/none/0.mp4", 0, 10))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void readsARangeWithOneRangedGet() throws Exception {
    byte[] all = random(5000, 3);
    store.put("videos/t/0.mp4", all, "video/mp4");
    try (InputStream in = store.open("videos/t/0.mp4", 1000, 250)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(all, 1000, 1250));
    }
    try (InputStream in = store.open("videos/t/0.mp4", 4990, 10)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(all, 4990, 5000));
    }
  }

  @Test
  void largeFilesGoUpInPartsAndArriveWhole() throws Exception {
    long mib = 1 << 20;
    try (var small = new S3BlobStore(server.settings(url, false), 5 * mib, 5 * mib)) {
      byte[] big = random((int) (12 * mib + 123), 4);
      Path f = Files.write(dir.resolve("big.mp4"), big);
      small.put("videos/big/0.mp4", f, "video/mp4");
      assertThat(small.size("videos/big/0.mp4")).contains((long) big.length);
      assertThat(small.readAll("videos/big/0.mp4")).isEqualTo(big);
    }
  }

  @Test
  void deletePrefixRemovesOnlyThatTasksBlobs() throws Exception {
    store.put("inputs/t1/first.png", random(10, 5), "image/png");
    store.put("inputs/t1/last.png", random(10, 6), "image/png");
    store.put("inputs/t10/first.png", random(10, 7), "image/png");
    store.deletePrefix("inputs/t1");
    assertThat(store.size("inputs/t1/first.png")).isEmpty();
    assertThat(store.size("inputs/t1/last.png")).isEmpty();
    assertThat(store.size("inputs/t10/first.png")).contains(10L);
  }

  // Two folders, since s3rver cannot page a listing past 1,000 keys on this Node.js (its
  // continuation tokens use DES, which OpenSSL 3 no longer offers); one delete of all their keys.
  @Test
  void listsCountsAndDeletesMoreThanOneBatch() throws Exception {
    int n = S3BlobStore.DELETE_BATCH + 5;
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
      var puts = new ArrayList<java.util.concurrent.Future<?>>();
      for (int i = 0; i < n; i++) {
        byte[] one = {(byte) i};
        String key = "videos/" + (i < 600 ? "a" : "b") + "/" + i + ".mp4";
        puts.add(
            pool.submit(
                () -> {
                  store.put(key, one, "video/mp4");
                  return null;
                }));
      }
      for (var f : puts) f.get();
    }
    store.put("inputs/a/first.png", random(10, 1), "image/png");
    var keys = new ArrayList<String>();
    for (String folder : List.of("videos/a", "videos/b")) {
      var listed = store.list(folder);
      assertThat(listed).allMatch(l -> l.bytes() == 1 && l.key().startsWith(folder + "/"));
      listed.forEach(l -> keys.add(l.key()));
    }
    assertThat(keys).hasSize(n);
    assertThat(store.list("inputs/a"))
        .containsExactly(new BlobStore.Listed("inputs/a/first.png", 10));

    keys.add("videos/a/never-stored.mp4"); // a missing key is no error
    store.delete(keys);
    assertThat(store.list("videos/a")).isEmpty();
    assertThat(store.list("videos/b")).isEmpty();
    assertThat(store.usage()).isEqualTo(new BlobStore.Usage(1, 10));
    store.delete(List.of());
  }

  @Test
  void prefixesKeepDeploymentsApart() throws Exception {
    try (var other = S3BlobStore.open(server.settings(server.freshStorageUrl(), false))) {
      store.put("videos/t/0.mp4", random(10, 8), "video/mp4");
      assertThat(other.size("videos/t/0.mp4")).isEmpty();
    }
  }

  // s3rver serves anonymous GETs, so it cannot show that a tampered signature is refused; real S3
  // does.
  @Test
  void presignedUrlDownloadsWithoutCredentialsAndHonoursRanges() throws Exception {
    byte[] video = random(4096, 9);
    store.put("videos/t/0.mp4", video, "video/mp4");
    assertThat(store.directUrl("videos/t/0.mp4", Duration.ofMinutes(5)))
        .as("presign off: tween serves")
        .isEmpty();
    try (var presigning = S3BlobStore.open(server.settings(url, true))) {
      String link = presigning.directUrl("videos/t/0.mp4", Duration.ofMinutes(5)).orElseThrow();
      assertThat(link).contains("X-Amz-Signature=").contains("X-Amz-Expires=300");
      var whole =
          http.send(
              HttpRequest.newBuilder(URI.create(link)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(video);
      var part =
          http.send(
              HttpRequest.newBuilder(URI.create(link)).header("Range", "bytes=100-199").build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(part.body()).isEqualTo(Arrays.copyOfRange(video, 100, 200));
    }
  }

  @Test
  void reachableOnlyWhenTheBucketAnswers() throws Exception {
    assertThat(store.reachable()).isTrue();
    try (var noBucket = S3BlobStore.open(server.settings("s3://no-such-bucket/x", false))) {
      assertThat(noBucket.reachable()).isFalse();
    }
    int closedPort;
    try (var s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    var down =
        S3Settings.of(
            url,
            Optional.of(URI.create("http://127.0.0.1:" + closedPort)),
            "us-east-1",
            true,
            false);
    try (var unreachable = S3BlobStore.open(down)) {
      assertThat(unreachable.reachable()).isFalse();
    }
  }

  @Test
  void parsesStorageUrls() {
    var s = S3Settings.of("s3://videos/tween/prod/", Optional.empty(), "eu-west-1", false, true);
    assertThat(s.bucket()).isEqualTo("videos");
    assertThat(s.objectKey("videos/t/0.mp4")).isEqualTo("tween/prod/videos/t/0.mp4");
    assertThat(
            S3Settings.of("s3://bare", Optional.empty(), "us-east-1", false, true).objectKey("a/b"))
        .isEqualTo("a/b");
  }
}
