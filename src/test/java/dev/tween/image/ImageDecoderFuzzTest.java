package dev.tween.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tween.generate.InputImage;

/**
 * Whatever bytes arrive, the decoder answers with an image or an {@link ImageDecodeException}:
 * never another exception, never an out-of-memory. Runs its seed corpus in every test run and
 * fuzzes for a bounded time in the `fuzz` execution of ./tween test (JAZZER_FUZZ=1).
 */
class ImageDecoderFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void decodeNeverThrowsAnythingElse(byte[] data) {
    try {
      ImageDecoder.inspect(data);
      ImageDecoder.decode(new InputImage(data, ImageDecoder.sniff(data).orElse(InputImage.Format.PNG)));
    } catch (ImageDecodeException expected) {
      // the only allowed failure
    }
  }
}
