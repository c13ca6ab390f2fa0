package dev.tween.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Any text in an image field yields an {@link ImageSource} or an {@link ImageSourceException},
 * never another exception. {@code mvn test} runs the regression inputs and a seeded random loop;
 * fuzz for real with {@code JAZZER_FUZZ=1 mvn test
 * -Dtest=ImageSourceFuzzTest#parseOnlyThrowsImageSourceException}.
 */
class ImageSourceFuzzTest {
  static final AddressPolicy STRICT = new AddressPolicy(false);

  @FuzzTest(maxDuration = "30s")
  void parseOnlyThrowsImageSourceException(FuzzedDataProvider data) {
    String prefix =
        data.pickValue(
            new String[] {"", "http://", "https://", "data:image/png;base64,", "data:", "ftp:"});
    exercise(prefix + data.consumeRemainingAsString());
  }

  @Test
  void randomTextOnlyThrowsImageSourceException() {
    var random = new SplittableRandom(42);
    String alphabet = "AZaz09+/-_=: \n\r\t.%@[]?#,;/\\\u00e9\u0000\uffff";
    String[] prefixes = {
      "", "http://", "https://", "data:image/png;base64,", "data:", "HTTP://[", "http://0x7f.1"
    };
    for (int i = 0; i < 20_000; i++) {
      var sb = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
      int n = random.nextInt(40);
      for (int k = 0; k < n; k++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      exercise(sb.toString());
    }
  }

  static void exercise(String value) {
    try {
      ImageSource source = ImageSource.parse(value, STRICT);
      if (source instanceof ImageSource.Inline inline) assertThat(inline.bytes()).isNotEmpty();
    } catch (ImageSourceException expected) {
      assertThat(expected.getMessage()).isNotBlank().hasSizeLessThan(300);
    }
  }
}
