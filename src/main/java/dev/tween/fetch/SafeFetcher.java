package dev.tween.fetch;

import dev.tween.generate.InputImage;
import dev.tween.image.ImageDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads an image URL for a task: every hop (at most {@code maxRedirects} redirects) is
 * re-validated, all hops together share one {@code callTimeout}, the body is read to at most {@code
 * maxBytes}, and failures say whether retrying could help.
 */
public final class SafeFetcher {
  private static final Logger log = LoggerFactory.getLogger(SafeFetcher.class);
  private final FetchPolicy policy;
  private final OkHttpClient client;

  /** A fetcher of input images (20 MiB, JPEG or PNG); private addresses only if allowed. */
  public static SafeFetcher forImages(boolean allowPrivate) {
    return new SafeFetcher(FetchPolicy.images(allowPrivate));
  }

  SafeFetcher(FetchPolicy policy, SafeHttp.Resolver resolver) {
    this.policy = policy;
    this.client = SafeHttp.client(policy, resolver);
  }

  SafeFetcher(FetchPolicy policy) {
    this(policy, SafeHttp.Resolver.SYSTEM);
  }

  /**
   * The image behind a source: inline bytes as they are, URLs downloaded; either must be JPEG or
   * PNG.
   */
  public InputImage load(ImageSource source) throws FetchException {
    return switch (source) {
      case ImageSource.Inline inline -> image(inline.bytes(), "the image data");
      case ImageSource.Url url -> fetchImage(url.uri());
    };
  }

  /** Downloads the URL and sniffs the bytes; anything but JPEG or PNG is a permanent failure. */
  public InputImage fetchImage(URI url) throws FetchException {
    return image(fetch(url), "the downloaded file");
  }

  private static InputImage image(byte[] bytes, String what) throws FetchException {
    var format =
        ImageDecoder.sniff(bytes)
            .orElseThrow(() -> new FetchException(what + " is not a JPEG or PNG image", true));
    return new InputImage(bytes, format);
  }

  public byte[] fetch(URI url) throws FetchException {
    long deadline = System.nanoTime() + policy.callTimeout().toNanos();
    SafeHttp.precheck(url, policy.addresses());
    HttpUrl current = HttpUrl.parse(url.toString());
    if (current == null) throw new FetchException("the URL is not a valid http(s) URL", true);
    String origin = current.scheme() + "://" + current.host() + ":" + current.port();
    try {
      byte[] body = fetch(current, deadline);
      log.info("event=image_fetched origin={} bytes={}", origin, body.length);
      return body;
    } catch (FetchException e) {
      log.info(
          "event=image_fetch_failed origin={} permanent={} reason=\"{}\"",
          origin,
          e.permanent(),
          e.getMessage());
      throw e;
    }
  }

  private byte[] fetch(HttpUrl current, long deadline) throws FetchException {
    for (int hop = 0; ; hop++) {
      // Checked as OkHttp parsed it: that host, not java.net.URI's reading, is what gets connected
      // to.
      SafeHttp.precheck(current.uri(), policy.addresses());
      long left = deadline - System.nanoTime();
      if (left <= 0) throw new FetchException("the image server did not answer in time", false);
      Request request =
          new Request.Builder()
              .url(current)
              .header("User-Agent", "tween/0.1 (+image fetch)")
              .header("Accept", "image/png, image/jpeg;q=0.9, */*;q=0.1")
              .get()
              .build();
      Call call = client.newCall(request);
      call.timeout().timeout(left, TimeUnit.NANOSECONDS);
      try (Response r = call.execute()) {
        if (SafeHttp.isRedirect(r.code())) {
          if (hop >= policy.maxRedirects()) {
            throw new FetchException(
                "too many redirects (more than " + policy.maxRedirects() + ")", true);
          }
          String location = r.header("Location");
          if (location == null)
            throw new FetchException("redirect " + r.code() + " without a Location", true);
          current = current.resolve(location);
          if (current == null)
            throw new FetchException("redirect to an invalid or non-http(s) URL", true);
          continue;
        }
        checkStatus(r.code());
        return readLimited(call, r);
      } catch (IOException e) {
        throw failure(e);
      }
    }
  }

  private static void checkStatus(int code) throws FetchException {
    if (code >= 200 && code < 300) return;
    String what =
        switch (code) {
          case 400 -> " (bad request)";
          case 401, 407 -> " (the URL needs credentials)";
          case 403 -> " (access denied)";
          case 404 -> " (not found)";
          case 408 -> " (request timeout)";
          case 410 -> " (gone)";
          case 429 -> " (too many requests)";
          default -> code >= 500 ? " (server error)" : "";
        };
    boolean permanent = code < 500 && code != 408 && code != 429;
    throw new FetchException("the image server answered HTTP " + code + what, permanent);
  }

  private static FetchException failure(IOException e) {
    SafeHttp.RefusedAddressException refused = refusal(e);
    if (refused != null) return new FetchException(refused.getMessage(), true, e);
    if (e instanceof UnknownHostException)
      return new FetchException("the host could not be resolved: " + e.getMessage(), true, e);
    if (e instanceof InterruptedIOException)
      return new FetchException("the image server did not answer in time", false, e);
    if (e instanceof SSLException)
      return new FetchException("the TLS connection failed: " + e.getMessage(), true, e);
    return new FetchException("downloading the image failed: " + e.getMessage(), false, e);
  }

  /** OkHttp may wrap or suppress the guard's exception when it tried several addresses. */
  private static SafeHttp.RefusedAddressException refusal(Throwable t) {
    for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
      if (t instanceof SafeHttp.RefusedAddressException r) return r;
      for (Throwable s : t.getSuppressed())
        if (s instanceof SafeHttp.RefusedAddressException r) return r;
    }
    return null;
  }

  private byte[] readLimited(Call call, Response r) throws IOException, FetchException {
    long declared = r.body().contentLength();
    if (declared > policy.maxBytes()) {
      call.cancel();
      throw new FetchException(
          "the image is " + declared + " bytes; at most " + policy.maxBytes() + " are accepted",
          true);
    }
    try (InputStream in = r.body().byteStream()) {
      byte[] b = in.readNBytes((int) policy.maxBytes() + 1);
      if (b.length > policy.maxBytes()) {
        // A plain close would first drain the rest for up to 100 ms to reuse the connection.
        call.cancel();
        throw new FetchException("the image is larger than " + policy.maxBytes() + " bytes", true);
      }
      return b;
    }
  }
}
