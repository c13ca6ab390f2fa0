package dev.tween.google;

import com.google.genai.errors.ApiException;
import com.google.genai.gaos.models.errors.GaosBaseException;
import dev.tween.gateway.UpstreamException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Google's answers as the gateway's four kinds of failure: 429 is a quota (the deployment cools
 * down, honouring {@code Retry-After} where the SDK shows it: the Interactions API does, Vertex's
 * {@code ApiException} carries no headers), 408 and 5xx mean Google did not do the work, anything
 * else is the request's fault; a call that broke after it was sent may have started an operation.
 */
final class GoogleFailures {
  private GoogleFailures() {}

  /**
   * @param reason the task's reason for an answer that cannot succeed, phrased for the model
   */
  static UpstreamException answer(
      String what, ApiException e, Function<ApiException, String> reason) {
    int code = e.code();
    if (code == 429)
      return new UpstreamException.Throttled(
          what + " was refused for quota (429 " + e.status() + "): " + e.message(),
          retryAfter(e).orElse(Duration.ZERO),
          e);
    if (code == 408 || code >= 500)
      return new UpstreamException.Unavailable(
          what + " failed (" + code + " " + e.status() + "): " + e.message(), e);
    return new UpstreamException.Rejected(reason.apply(e), e);
  }

  /**
   * A call that did not get an answer. Nothing was sent when the connection was never made; a
   * create that broke later may have started an operation tween cannot name.
   */
  static UpstreamException noAnswer(String what, RuntimeException e, boolean create) {
    IOException io = ioCause(e).orElse(null);
    if (io == null) throw e; // a programming error, not Google's
    String message = what + " got no answer (" + io + ")";
    if (!create || neverConnected(io)) return new UpstreamException.Unavailable(message, e);
    return new UpstreamException.Ambiguous(message, e);
  }

  private static Optional<IOException> ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause())
      if (t instanceof IOException io) return Optional.of(io);
    return Optional.empty();
  }

  private static boolean neverConnected(IOException io) {
    if (io instanceof ConnectException
        || io instanceof UnknownHostException
        || io instanceof NoRouteToHostException) return true;
    // OkHttp: "connect timed out" before a byte was sent, "timeout"/"Read timed out" after
    return (io instanceof SocketTimeoutException || io instanceof InterruptedIOException)
        && String.valueOf(io.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect");
  }

  private static Optional<Duration> retryAfter(ApiException e) {
    if (!(e instanceof GaosBaseException g)) return Optional.empty();
    try {
      return g.headers()
          .first("Retry-After")
          .map(String::trim)
          .map(s -> Duration.ofSeconds(Long.parseLong(s)));
    } catch (RuntimeException bad) {
      return Optional.empty(); // an HTTP date or garbage: the default cooldown applies
    }
  }
}
