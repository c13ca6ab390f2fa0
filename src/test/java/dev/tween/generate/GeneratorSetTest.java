package dev.tween.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.engine.LocalGenerator;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each task runs on the generator its route named; fields that generator ignores are noted. */
class GeneratorSetTest {
  static VideoOptions options(
      String prompt,
      Optional<String> negative,
      boolean enhance,
      VideoOptions.PersonGeneration person) {
    return new VideoOptions(
        prompt,
        negative,
        4,
        VideoOptions.Resolution.P720,
        VideoOptions.AspectRatio.LANDSCAPE,
        1,
        7,
        true,
        enhance,
        false,
        person);
  }

  record Named(String name, Capabilities caps, List<String> ran) implements Generator {
    @Override
    public Capabilities capabilities() {
      return caps;
    }

    @Override
    public GenerationResult generate(GenerationJob job) {
      ran.add(name);
      return new GenerationResult(1, name.equals("veo") ? "upstream note" : "");
    }
  }

  record Job(String generator, VideoOptions options) implements GenerationJob {
    public String taskId() {
      return "t";
    }

    public GenerationRequest request() {
      return new GenerationRequest(null, null, options);
    }

    public Path sampleFile(int index) {
      return Path.of("x");
    }

    public void progress(double fraction) {}

    public boolean canceled() {
      return false;
    }

    public Optional<String> resumeState() {
      return Optional.empty();
    }

    public void saveResumeState(String state) {}
  }

  @Test
  void routesByNameAndNotesIgnoredFields() throws Exception {
    var ran = new java.util.ArrayList<String>();
    var set =
        new GeneratorSet(
            List.of(
                new Named("veo", Capabilities.all("veo"), ran),
                new Named("local", new LocalGenerator().capabilities(), ran)));
    var all = options("pan", Optional.of("blur"), false, VideoOptions.PersonGeneration.DONT_ALLOW);

    assertThat(set.generate(new Job("local", all)).note())
        .isEqualTo(
            "prompt, negative_prompt, enhance_prompt, person_generation were ignored: the local generator does not use them");
    assertThat(set.generate(new Job("", all)).note())
        .as("unnamed: the first, which honours all")
        .isEqualTo("upstream note");
    assertThat(
            set.generate(
                    new Job(
                        "local",
                        options(
                            "pan",
                            Optional.empty(),
                            true,
                            VideoOptions.PersonGeneration.ALLOW_ADULT)))
                .note())
        .isEqualTo("prompt was ignored: the local generator does not use it");
    assertThat(ran).containsExactly("local", "veo", "local");
    assertThatThrownBy(() -> set.generate(new Job("omni", all)))
        .isInstanceOf(GenerationException.class)
        .hasMessageContaining("omni is not configured");
  }
}
