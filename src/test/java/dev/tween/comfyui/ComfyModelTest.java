package dev.tween.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.generate.UnsupportedRequestException;
import dev.tween.generate.VideoOptions;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ComfyModelTest {
  private static VideoOptions options(boolean audio, VideoOptions.PersonGeneration people) {
    return new VideoOptions(
        "p",
        Optional.empty(),
        8,
        VideoOptions.Resolution.P720,
        VideoOptions.AspectRatio.LANDSCAPE,
        3,
        1,
        false,
        false,
        audio,
        people);
  }

  @Test
  void audioIsA400NamingTheField() {
    assertThatThrownBy(
            () ->
                ComfyUi.model()
                    .checkSupported(options(true, VideoOptions.PersonGeneration.ALLOW_ADULT)))
        .isInstanceOf(UnsupportedRequestException.class)
        .hasMessageContaining("comfyui")
        .extracting(e -> ((UnsupportedRequestException) e).field())
        .isEqualTo("generate_audio");
  }

  @Test
  void aPersonFilterCannotBeHonoured() {
    assertThatThrownBy(
            () ->
                ComfyUi.model()
                    .checkSupported(options(false, VideoOptions.PersonGeneration.DONT_ALLOW)))
        .extracting(e -> ((UnsupportedRequestException) e).field())
        .isEqualTo("person_generation");
  }

  @Test
  void oneOperationPerSampleAndNoNotesForWhatItHonours() throws Exception {
    var o = options(false, VideoOptions.PersonGeneration.ALLOW_ADULT);
    ComfyUi.model().checkSupported(o);
    assertThat(ComfyUi.model().name()).isEqualTo("comfyui");
    assertThat(ComfyUi.model().operations(o)).isEqualTo(3);
    assertThat(ComfyUi.model().capabilities().ignored(o)).isEmpty();
  }
}
