package dev.tween.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlSignerTest {
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
  private static final String PATH = "/v1/videos/t_1/0.mp4";

  private final MutableClock clock = new MutableClock();
  private final UrlSigner signer = new UrlSigner(SECRET, clock);

  private static Map<String, String> query(String signed) {
    Map<String, String> q = new HashMap<>();
    for (String pair : URI.create(signed).getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      q.put(kv[0], kv[1]);
    }
    return q;
  }

  private UrlSigner.Verdict verify(String path, String signed) {
    Map<String, String> q = query(signed);
    return signer.verify(path, q.get("expires"), q.get("sig"));
  }

  @Test
  void aSignedLinkIsValidUntilItsExpiryAndExpiredAfter() {
    String signed = signer.sign(PATH, Duration.ofSeconds(3600));
    assertThat(signed).startsWith(PATH + "?expires=");
    assertThat(verify(PATH, signed)).isEqualTo(UrlSigner.Verdict.VALID);

    clock.advance(Duration.ofSeconds(3600));
    assertThat(verify(PATH, signed))
        .as("the last second of its life")
        .isEqualTo(UrlSigner.Verdict.VALID);
    clock.advance(Duration.ofSeconds(1));
    assertThat(verify(PATH, signed)).isEqualTo(UrlSigner.Verdict.EXPIRED);
  }

  @Test
  void anotherPathAnExtendedExpiryOrAnAlteredSignatureIsInvalid() {
    String signed = signer.sign(PATH, Duration.ofSeconds(60));
    Map<String, String> q = query(signed);

    assertThat(verify("/v1/videos/t_2/0.mp4", signed)).isEqualTo(UrlSigner.Verdict.INVALID);
    long later = Long.parseLong(q.get("expires")) + 86_400;
    assertThat(signer.verify(PATH, Long.toString(later), q.get("sig")))
        .isEqualTo(UrlSigner.Verdict.INVALID);

    char[] sig = q.get("sig").toCharArray();
    sig[0] = sig[0] == 'A' ? 'B' : 'A';
    assertThat(signer.verify(PATH, q.get("expires"), new String(sig)))
        .isEqualTo(UrlSigner.Verdict.INVALID);
  }

  @Test
  void missingOrMalformedPartsAreInvalidNotErrors() {
    String sig = query(signer.sign(PATH, Duration.ofSeconds(60))).get("sig");
    assertThat(signer.verify(PATH, null, sig)).isEqualTo(UrlSigner.Verdict.INVALID);
    assertThat(signer.verify(PATH, "soon", sig)).isEqualTo(UrlSigner.Verdict.INVALID);
    assertThat(signer.verify(PATH, "1767225600", null)).isEqualTo(UrlSigner.Verdict.INVALID);
  }

  @Test
  void aLinkSignedWithAnotherSecretIsInvalid() {
    byte[] other = Arrays.copyOf(SECRET, SECRET.length);
    other[0] ^= 1;
    String signed = new UrlSigner(other, clock).sign(PATH, Duration.ofSeconds(60));
    assertThat(verify(PATH, signed)).isEqualTo(UrlSigner.Verdict.INVALID);
  }

  @Test
  void aShortSecretIsRefused() {
    assertThatThrownBy(() -> new UrlSigner(new byte[31], clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }
}
