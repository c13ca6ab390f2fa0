package dev.tween.fetch;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** POSTs (webhooks) under the same address rules as image fetches; redirects are never followed. */
public final class SafePoster {
  private final FetchPolicy policy;
  private final OkHttpClient client;

  /** A poster of webhooks; private addresses only if allowed. */
  public static SafePoster forWebhooks(boolean allowPrivate) {
    return new SafePoster(FetchPolicy.webhooks(allowPrivate), SafeHttp.Resolver.SYSTEM);
  }

  SafePoster(FetchPolicy policy, SafeHttp.Resolver resolver) {
    this.policy = policy;
    this.client = SafeHttp.client(policy, resolver);
  }

  /**
   * @return the receiver's HTTP status (a redirect is just a non-2xx answer)
   */
  public int post(URI url, Map<String, String> headers, byte[] body) throws IOException {
    try {
      SafeHttp.precheck(url, policy.addresses());
    } catch (FetchException e) {
      throw new IOException(e.getMessage(), e);
    }
    var b =
        new Request.Builder()
            .url(url.toString())
            .post(RequestBody.create(body, MediaType.get("application/json")));
    headers.forEach(b::header);
    try (Response r = client.newCall(b.build()).execute()) {
      return r.code();
    }
  }
}
