package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
  private static final long SIZE = 1000;

  @ParameterizedTest(name = "{0} → {1}-{2}")
  @CsvSource({
    "'bytes=0-99', 0, 99",
    "'bytes=100-', 100, 999",
    "'bytes=900-5000', 900, 999",
    "'bytes=-100', 900, 999",
    "'bytes=-5000', 0, 999",
    "'bytes= 10 - 20 ', 10, 20",
    "'bytes=999-999', 999, 999",
  })
  void satisfiableRanges(String header, long start, long end) {
    Optional<ByteRange> range = ByteRange.parse(header, SIZE);
    assertThat(range).contains(new ByteRange(start, end));
    assertThat(range.orElseThrow().length()).isEqualTo(end - start + 1);
  }

  @ParameterizedTest(name = "{0} → whole blob")
  @ValueSource(strings = {"", "items=0-1", "bytes=0-1,5-6", "bytes=abc-", "bytes=5", "bytes=20-10"})
  void ignoredHeadersServeTheWholeBlob(String header) {
    assertThat(ByteRange.parse(header, SIZE)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void noHeaderServesTheWholeBlob() {
    assertThat(ByteRange.parse(null, SIZE)).isEmpty();
  }

  @ParameterizedTest(name = "{0} → 416")
  @ValueSource(strings = {"bytes=1000-", "bytes=5000-6000", "bytes=-0"})
  void rangesOutsideTheBlobAre416(String header) {
    assertThatThrownBy(() -> ByteRange.parse(header, SIZE))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(416))
        .hasMessageContaining("1000 bytes");
  }
}
