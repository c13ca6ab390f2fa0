package dev.tween.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which network addresses tween may connect to on a stranger's behalf (image URLs, webhooks).
 * Everything that is not public unicast is refused: loopback, private, link-local (cloud metadata),
 * CGNAT, benchmarking, documentation, multicast, reserved, and the IPv6 forms that embed an IPv4
 * address (mapped, compatible, 6to4, NAT64, Teredo) are judged by the address they embed.
 */
public final class AddressPolicy {
  private static final byte[] AWS_METADATA_V6 =
      new byte[] {
        (byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
      }; // fd00:ec2::254
  private final boolean allowPrivate;

  private final Predicate<InetAddress> exempt;

  /**
   * @param allowPrivate also allow loopback and private ranges (on-premise use, tests)
   */
  public AddressPolicy(boolean allowPrivate) {
    this(allowPrivate, a -> false);
  }

  /**
   * Tests: lets one loopback address play "the internet" while the rest of loopback stays refused.
   */
  AddressPolicy(boolean allowPrivate, Predicate<InetAddress> exempt) {
    this.allowPrivate = allowPrivate;
    this.exempt = exempt;
  }

  public boolean allowPrivate() {
    return allowPrivate;
  }

  /** Why the address is refused, or empty when it may be contacted. */
  public Optional<String> refusal(InetAddress address) {
    if (exempt.test(address)) return Optional.empty();
    if (isMetadata(address.getAddress())) return Optional.of("cloud metadata service");
    if (address instanceof Inet4Address v4) return refusal4(v4.getAddress());
    if (address instanceof Inet6Address v6) return refusal6(v6.getAddress());
    return Optional.of("unknown address family");
  }

  public boolean allowed(InetAddress address) {
    return refusal(address).isEmpty();
  }

  private Optional<String> refusal4(byte[] a) {
    int b0 = a[0] & 0xff;
    int b1 = a[1] & 0xff;
    int b2 = a[2] & 0xff;
    // Always refused, whatever the operator allows: nothing legitimate lives here.
    if (b0 == 0) return Optional.of("'this network' 0.0.0.0/8");
    if (b0 >= 224 && b0 <= 239) return Optional.of("multicast");
    if (b0 >= 240) return Optional.of("reserved/broadcast 240.0.0.0/4");
    if (b0 == 169 && b1 == 254) return Optional.of("link-local 169.254.0.0/16 (cloud metadata)");
    if (b0 == 192 && b1 == 0 && b2 == 2
        || b0 == 198 && b1 == 51 && b2 == 100
        || b0 == 203 && b1 == 0 && b2 == 113) {
      return Optional.of("documentation range");
    }
    if (b0 == 198 && (b1 == 18 || b1 == 19)) return Optional.of("benchmarking 198.18.0.0/15");
    if (b0 == 192 && b1 == 0 && b2 == 0)
      return Optional.of("IETF protocol assignments 192.0.0.0/24");
    if (b0 == 192 && b1 == 88 && b2 == 99) return Optional.of("6to4 relay anycast 192.88.99.0/24");
    if (allowPrivate) return Optional.empty();
    if (b0 == 127) return Optional.of("loopback 127.0.0.0/8");
    if (b0 == 10) return Optional.of("private 10.0.0.0/8");
    if (b0 == 172 && b1 >= 16 && b1 <= 31) return Optional.of("private 172.16.0.0/12");
    if (b0 == 192 && b1 == 168) return Optional.of("private 192.168.0.0/16");
    if (b0 == 100 && b1 >= 64 && b1 <= 127) return Optional.of("carrier-grade NAT 100.64.0.0/10");
    return Optional.empty();
  }

  /** Metadata endpoints that sit inside ranges an on-premise operator may allow (ULA, CGNAT). */
  private static boolean isMetadata(byte[] a) {
    if (a.length == 4)
      return (a[0] & 0xff) == 100
          && (a[1] & 0xff) == 100
          && (a[2] & 0xff) == 100
          && (a[3] & 0xff) == 200;
    return java.util.Arrays.equals(a, AWS_METADATA_V6);
  }

  private Optional<String> refusal6(byte[] a) {
    if (a[0] == 0
        && a[1] == 0x64
        && (a[2] & 0xff) == 0xff
        && (a[3] & 0xff) == 0x9b
        && a[4] == 0
        && a[5] == 1) {
      return Optional.of("local-use NAT64 64:ff9b:1::/48");
    }
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0) {
      var server = refusal4(slice(a, 4));
      if (server.isPresent())
        return server.map(r -> r + " (Teredo server embedded in an IPv6 address)");
    }
    Optional<byte[]> embedded = embeddedIpv4(a);
    if (embedded.isPresent())
      return refusal4(embedded.get()).map(r -> r + " (embedded in an IPv6 address)");
    boolean allZero = true;
    for (int i = 0; i < 15; i++) allZero &= a[i] == 0;
    if (allZero && a[15] == 0) return Optional.of("unspecified ::");
    if (allZero && a[15] == 1) return allowPrivate ? Optional.empty() : Optional.of("loopback ::1");
    int b0 = a[0] & 0xff;
    int b1 = a[1] & 0xff;
    if (b0 == 0xff) return Optional.of("multicast ff00::/8");
    if (b0 == 0xfe && (b1 & 0xc0) == 0x80) return Optional.of("link-local fe80::/10");
    if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) return Optional.of("site-local fec0::/10");
    if (b0 == 0x20 && b1 == 0x01 && a[2] == 0x0d && (a[3] & 0xff) == 0xb8)
      return Optional.of("documentation 2001:db8::/32");
    if (b0 == 0x3f && b1 == 0xff && (a[2] & 0xf0) == 0)
      return Optional.of("documentation 3fff::/20");
    if (b0 == 0x20 && b1 == 0x01 && a[2] == 0 && a[3] == 2 && a[4] == 0 && a[5] == 0)
      return Optional.of("benchmarking 2001:2::/48");
    if (b0 == 0x20 && b1 == 0x01 && a[2] == 0 && ((a[3] & 0xf0) == 0x10 || (a[3] & 0xf0) == 0x20)) {
      return Optional.of("ORCHID 2001:10::/28, 2001:20::/28");
    }
    if (b0 == 0x01 && b1 == 0 && a[2] == 0 && a[3] == 0)
      return Optional.of("discard-only 100::/64");
    if ((b0 & 0xfe) == 0xfc)
      return allowPrivate ? Optional.empty() : Optional.of("unique local fc00::/7");
    if ((b0 & 0xe0) != 0x20) return Optional.of("not global unicast (outside 2000::/3)");
    return Optional.empty();
  }

  /** The IPv4 address carried by mapped, compatible, 6to4, NAT64 and Teredo IPv6 forms. */
  static Optional<byte[]> embeddedIpv4(byte[] a) {
    boolean first10Zero = true;
    for (int i = 0; i < 10; i++) first10Zero &= a[i] == 0;
    if (first10Zero && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff)
      return Optional.of(slice(a, 12)); // ::ffff:a.b.c.d
    if (first10Zero && a[10] == 0 && a[11] == 0 && !(a[12] == 0 && a[13] == 0 && a[14] == 0)) {
      return Optional.of(slice(a, 12)); // ::a.b.c.d (deprecated compatible form)
    }
    if (a[0] == 0x20 && a[1] == 0x02) return Optional.of(slice(a, 2)); // 6to4 2002:AABB:CCDD::/48
    if (a[0] == 0 && a[1] == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b) {
      return Optional.of(slice(a, 12)); // NAT64 64:ff9b::/96 and 64:ff9b:1::/48
    }
    if (a[0] == 0x20
        && a[1] == 0x01
        && a[2] == 0
        && a[3] == 0) { // Teredo 2001::/32: client IPv4 inverted
      byte[] v4 = slice(a, 12);
      for (int i = 0; i < 4; i++) v4[i] = (byte) ~v4[i];
      return Optional.of(v4);
    }
    return Optional.empty();
  }

  private static byte[] slice(byte[] a, int from) {
    return new byte[] {a[from], a[from + 1], a[from + 2], a[from + 3]};
  }

  /**
   * Parses the IPv4 spellings that C's {@code inet_aton} (and so many HTTP stacks) accept —
   * decimal, octal ({@code 0177.0.0.1}), hex ({@code 0x7f000001}), and shortened forms ({@code
   * 127.1}, {@code 2130706433}) — so such a host is judged by the address it really means.
   */
  public static Optional<InetAddress> parseNumericIpv4(String host) {
    if (host.isEmpty()
        || !host.matches("(?i)[0-9a-fx.]+")
        || host.endsWith(".") && host.length() == 1) return Optional.empty();
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String[] parts = h.split("\\.", -1);
    if (parts.length > 4) return Optional.empty();
    long[] v = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].toLowerCase();
      try {
        if (p.isEmpty()) return Optional.empty();
        if (p.startsWith("0x")) v[i] = p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16);
        else if (p.length() > 1 && p.startsWith("0")) v[i] = Long.parseLong(p.substring(1), 8);
        else v[i] = Long.parseLong(p);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    long addr;
    int n = v.length;
    for (int i = 0; i < n - 1; i++) if (v[i] > 255) return Optional.empty();
    long lastMax = (1L << (8 * (5 - n))) - 1;
    if (v[n - 1] > lastMax) return Optional.empty();
    addr = v[n - 1];
    for (int i = 0; i < n - 1; i++) addr |= v[i] << (8 * (3 - i));
    byte[] b = {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
    try {
      return Optional.of(InetAddress.getByAddress(host, b));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
