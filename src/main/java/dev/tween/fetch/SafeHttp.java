package dev.tween.fetch;

import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.Dns;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * OkHttp clients that can only reach allowed addresses: names are resolved by a guarded {@link Dns}
 * that refuses denied addresses, every socket checks its destination before connecting (OkHttp
 * connects to literal IPs without asking the {@code Dns}), the connected peer is checked again
 * before a byte of the request is sent, no proxy is used, and redirects are never followed
 * automatically. Webhook senders use {@link #client} as it is: it never follows a redirect.
 */
public final class SafeHttp {
  /** Name resolution; the system resolver in production, a table in tests. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
  }

  private SafeHttp() {}

  static OkHttpClient client(FetchPolicy policy, Resolver resolver) {
    AddressPolicy addresses = policy.addresses();
    Dns dns =
        host -> {
          var literal = AddressPolicy.parseNumericIpv4(host);
          List<InetAddress> all =
              literal.isPresent() ? List.of(literal.get()) : resolver.resolve(host);
          List<InetAddress> allowed = new ArrayList<>();
          String why = null;
          for (InetAddress a : all) {
            var refusal = addresses.refusal(a);
            if (refusal.isEmpty()) allowed.add(a);
            else why = refusal.get();
          }
          // One denied answer taints the name: a rebinding host may hand out a good and a bad
          // address.
          if (why != null)
            throw new RefusedAddressException(
                host + " resolves to a refused address (" + why + ")");
          if (allowed.isEmpty()) throw new UnknownHostException(host + " has no address");
          return allowed;
        };
    Interceptor peerCheck =
        chain -> {
          var conn = chain.connection();
          if (conn == null) throw new RefusedAddressException("no connection");
          InetAddress peer = conn.socket().getInetAddress();
          var refusal = addresses.refusal(peer);
          if (refusal.isPresent())
            throw new RefusedAddressException(
                "connected peer " + peer.getHostAddress() + " is refused (" + refusal.get() + ")");
          return chain.proceed(chain.request());
        };
    return new OkHttpClient.Builder()
        .proxy(Proxy.NO_PROXY)
        .dns(dns)
        .socketFactory(new GuardedSocketFactory(addresses))
        .addNetworkInterceptor(peerCheck)
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false)
        .connectTimeout(policy.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(policy.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(policy.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .callTimeout(policy.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .build();
  }

  /**
   * Refuses, without any network I/O, URLs that can never be fetched: other schemes, no host,
   * credentials in the URL, {@code localhost}, and literal addresses (in any numeric spelling) in
   * refused ranges. Names that resolve to refused addresses are caught at fetch time.
   */
  public static void precheck(URI url, AddressPolicy addresses) throws FetchException {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https"))
      throw new FetchException("only http and https URLs are accepted", true);
    String host = url.getHost();
    if (host == null || host.isBlank()) throw new FetchException("the URL has no host", true);
    if (url.getRawUserInfo() != null)
      throw new FetchException("credentials in URLs are not accepted", true);
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
    if (h.endsWith(".")) h = h.substring(0, h.length() - 1); // "localhost." is localhost
    if (!addresses.allowPrivate()
        && (h.equals("localhost")
            || h.endsWith(".localhost")
            || h.endsWith(".local")
            || h.endsWith(".internal"))) {
      throw new FetchException("the host " + host + " is a local name", true);
    }
    InetAddress literal = null;
    var numeric = AddressPolicy.parseNumericIpv4(h);
    if (numeric.isPresent()) literal = numeric.get();
    else if (h.contains(":")) {
      try {
        literal = InetAddress.getByName(h); // an IPv6 literal: parsed, never looked up
      } catch (UnknownHostException e) {
        throw new FetchException("the URL's IPv6 address is malformed", true);
      }
    }
    if (literal != null) {
      var refusal = addresses.refusal(literal);
      if (refusal.isPresent())
        throw new FetchException(
            "the address " + host + " is refused (" + refusal.get() + ")", true);
    }
  }

  /** Thrown by the guard; an IOException so OkHttp aborts the call with it. */
  public static final class RefusedAddressException extends UnknownHostException {
    public RefusedAddressException(String message) {
      super(message);
    }
  }

  static boolean isRedirect(int code) {
    return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
  }
}
