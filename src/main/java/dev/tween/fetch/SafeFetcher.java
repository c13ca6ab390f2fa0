package dev.tween.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Downloads an image URL for a task: every hop (at most {@code maxRedirects} redirects) is
 * re-validated, the body is read to at most {@code maxBytes}, and failures say whether retrying
 * could help.
 */
public final class SafeFetcher {
  private final FetchPolicy policy;
  private final OkHttpClient client;

  public SafeFetcher(FetchPolicy policy, SafeHttp.Resolver resolver) {
    this.policy = policy;
    this.client = SafeHttp.client(policy, resolver);
  }

  public SafeFetcher(FetchPolicy policy) {
    this(policy, SafeHttp.Resolver.SYSTEM);
  }

  public byte[] fetch(URI url) throws FetchException {
    URI current = url;
    for (int hop = 0; ; hop++) {
      SafeHttp.precheck(current, policy.addresses());
      Request request = new Request.Builder().url(current.toString()).header("User-Agent", "tween/0.1 (+image fetch)")
          .header("Accept", "image/png, image/jpeg;q=0.9, */*;q=0.1").get().build();
      try (Response r = client.newCall(request).execute()) {
        if (SafeHttp.isRedirect(r.code())) {
          if (hop >= policy.maxRedirects()) {
            throw new FetchException("too many redirects (more than " + policy.maxRedirects() + ")", true);
          }
          String location = r.header("Location");
          if (location == null) throw new FetchException("redirect " + r.code() + " without a Location", true);
          current = resolve(current, location);
          continue;
        }
        if (r.code() >= 500 || r.code() == 429 || r.code() == 408) {
          throw new FetchException("the image server answered HTTP " + r.code(), false);
        }
        if (r.code() < 200 || r.code() >= 300) throw new FetchException("the image server answered HTTP " + r.code(), true);
        return readLimited(r);
      } catch (SafeHttp.RefusedAddressException e) {
        throw new FetchException(e.getMessage(), true, e);
      } catch (java.net.UnknownHostException e) {
        throw new FetchException("the host could not be resolved: " + e.getMessage(), true, e);
      } catch (InterruptedIOException e) {
        throw new FetchException("the image server did not answer in time", false, e);
      } catch (IOException e) {
        throw new FetchException("downloading the image failed: " + e.getMessage(), false, e);
      }
    }
  }

  private byte[] readLimited(Response r) throws IOException, FetchException {
    long declared = r.body().contentLength();
    if (declared > policy.maxBytes()) {
      throw new FetchException("the image is " + declared + " bytes; at most " + policy.maxBytes() + " are accepted", true);
    }
    try (InputStream in = r.body().byteStream()) {
      byte[] b = in.readNBytes((int) policy.maxBytes() + 1);
      if (b.length > policy.maxBytes()) {
        throw new FetchException("the image is larger than " + policy.maxBytes() + " bytes", true);
      }
      return b;
    }
  }

  private static URI resolve(URI base, String location) throws FetchException {
    try {
      return base.resolve(new URI(location));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new FetchException("redirect to an invalid URL", true);
    }
  }
}
