package dev.tween.google;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/**
 * The second HTTP client of {@code google}: samples Omni hands back as a link (not inline) are
 * streamed to disk, only from Google's hosts or the configured endpoint.
 */
final class OmniDownloads {
  private final Optional<URI> baseUrl;
  private final String apiKey;
  private final CallObserver calls;
  private final HttpClient downloads =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  OmniDownloads(Optional<URI> baseUrl, String apiKey, CallObserver calls) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.calls = calls;
  }

  /**
   * Streams the sample to disk; only from Google's hosts or the configured endpoint, with the key.
   */
  void download(URI uri, Path target) throws IOException {
    String host = uri.getHost() == null ? "" : uri.getHost();
    boolean trusted =
        host.endsWith(".googleapis.com")
            || host.endsWith(".googleusercontent.com")
            || baseUrl.map(b -> host.equals(b.getHost())).orElse(false);
    if (!trusted) throw new IOException("refusing to download a sample from " + host);
    var req =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofMinutes(5))
            .header("x-goog-api-key", apiKey)
            .GET();
    Path tmp = target.resolveSibling(target.getFileName() + ".download");
    try {
      HttpResponse<Path> r = downloads.send(req.build(), HttpResponse.BodyHandlers.ofFile(tmp));
      calls.call("download", r.statusCode() == 200 ? "ok" : Integer.toString(r.statusCode()));
      if (r.statusCode() != 200)
        throw new IOException("HTTP " + r.statusCode() + " for the sample download");
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("download interrupted");
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
