package dev.tween.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageSourceTest {
  /** Starts with bytes whose base64 is "++++////", so the two alphabets differ. */
  static final byte[] BYTES = {
    (byte) 0xfb,
    (byte) 0xef,
    (byte) 0xbe,
    (byte) 0xff,
    (byte) 0xff,
    (byte) 0xff,
    (byte) 0x89,
    'P',
    'N',
    'G',
    0x0d,
    0x0a,
    0x1a,
    0x0a
  };

  static final String B64 = Base64.getEncoder().encodeToString(BYTES);

  static byte[] inline(String value) throws ImageSourceException {
    return ((ImageSource.Inline) ImageSource.parse(value)).bytes();
  }

  @Test
  void urlsAreKeptAsUris() throws Exception {
    assertThat(ImageSource.parse("  https://example.com/a.png?x=1 \n"))
        .isEqualTo(new ImageSource.Url(URI.create("https://example.com/a.png?x=1")));
    assertThat(ImageSource.parse("HTTP://Example.com/a.png")).isInstanceOf(ImageSource.Url.class);
  }

  @Test
  void base64InAllItsSpellingsDecodesToTheSameBytes() throws Exception {
    String urlSafe = Base64.getUrlEncoder().encodeToString(BYTES);
    String unpadded = Base64.getEncoder().withoutPadding().encodeToString(BYTES);
    assertThat(B64).contains("+").contains("/");
    for (String v :
        new String[] {
          B64,
          urlSafe,
          unpadded,
          "data:image/png;base64," + B64,
          "DATA:IMAGE/JPEG;name=a.jpg;base64," + B64,
          B64.substring(0, 4) + "\r\n  " + B64.substring(4) + "\n",
          Base64.getMimeEncoder().encodeToString(BYTES)
        }) {
      assertThat(inline(v)).as(v).isEqualTo(BYTES);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                  | must not be empty",
        "'   '                               | must not be empty",
        "ftp://example.com/a.png             | URL scheme 'ftp' is not accepted",
        "file:///etc/passwd                  | URL scheme 'file' is not accepted",
        "javascript:alert(1)                 | URL scheme 'javascript' is not accepted",
        "http://                             | is not a valid URL",
        "http://a_b.example.com/x.png        | URL has no valid host name",
        "http://user:pw@example.com/x.png    | must not contain user credentials",
        "http://example.com:99999/x.png      | is not a valid http(s) URL",
        "data:image/png,abcd                 | data URI must be base64-encoded",
        "data:text/plain;base64,aGVsbG8=     | data URI media type must be image/",
        "data:image/png;base64               | data URI must have the form",
        "data:image/png;base64,              | contains no image data",
        "aGVsbG8*                            | unexpected '*' at position 7",
        "aGVs=bG8                            | '=' padding before the end",
        "aGVsbG8===                          | wrong length or padding",
        "aGVsb                               | wrong length or padding",
        "ab+c-d                              | mixes the standard and URL-safe alphabets"
      })
  void refusalsNameTheRule(String value, String message) {
    assertThatThrownBy(() -> ImageSource.parse(value))
        .isInstanceOf(ImageSourceException.class)
        .hasMessageContaining(message.strip());
  }

  @Test
  void charactersOutsideTheBmpBeforeThePayloadDoNotShiftIt() throws Exception {
    // Two chars in Java, one '?' byte in Latin-1: the fast decoder's offsets once ran past the end
    // of its bytes (found by SubmitParserFuzzTest).
    String value = "data:image/" + "\uD83D\uDE00".repeat(40) + ";base64,iVBORw0KGgo=";
    ImageSource source = ImageSource.parse(value);
    assertThat(source).isInstanceOf(ImageSource.Inline.class);
    assertThat(((ImageSource.Inline) source).bytes())
        .containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
  }

  @Test
  void sizeIsCheckedFromTheEncodedLengthBeforeDecoding() throws Exception {
    int max = (int) ImageSource.MAX_INLINE_BYTES;
    assertThat(inline("A".repeat(max / 3 * 4)).length).isEqualTo(max / 3 * 3);
    String tooBig = "A".repeat((max / 3 + 1) * 4);
    assertThatThrownBy(() -> ImageSource.parse(tooBig))
        .hasMessageContaining("at most 20971520 (20 MiB)");
  }

  @Test
  void theAddressCheckAtSubmitNeedsNoNetwork() throws Exception {
    var strict = new AddressPolicy(false);
    assertThatThrownBy(() -> ImageSource.parse("http://127.0.0.1/x.png", strict))
        .hasMessageContaining("refused");
    for (String odd :
        new String[] {"127.1", "2130706433", "0x7f000001", "0177.0.0.1", "[::ffff:7f00:1]"}) {
      assertThatThrownBy(() -> ImageSource.parse("http://" + odd + "/x.png", strict))
          .as(odd)
          .isInstanceOf(ImageSourceException.class);
    }
    for (String local :
        new String[] {
          "localhost",
          "LOCALHOST",
          "localhost.",
          "db.localhost",
          "printer.local",
          "metadata.google.internal"
        }) {
      assertThatThrownBy(() -> ImageSource.parse("http://" + local + "/x.png", strict))
          .as(local)
          .hasMessageContaining("local name");
    }
    assertThatThrownBy(() -> ImageSource.parse("http://[::ffff:169.254.169.254]/", strict))
        .hasMessageContaining("refused");
    assertThat(ImageSource.parse("http://localhost/x.png", new AddressPolicy(true)))
        .isInstanceOf(ImageSource.Url.class);
    assertThat(ImageSource.parse(B64, strict)).isInstanceOf(ImageSource.Inline.class);
  }
}
