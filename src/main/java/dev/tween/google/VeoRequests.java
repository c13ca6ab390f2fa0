package dev.tween.google;

import com.google.genai.types.GenerateVideosConfig;
import com.google.genai.types.GenerateVideosSource;
import com.google.genai.types.Image;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.InputImage;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.generate.VideoOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The mapping of tween's request fields onto Veo 3.1 Lite on Vertex AI (see docs/veo.md for the
 * table): every field is sent as given.
 */
final class VeoRequests {
  private VeoRequests() {}

  /** Veo 3.1 Lite's documented durations (seconds); Google answers others with 400. */
  static final Set<Integer> DURATIONS = Set.of(4, 6, 8);

  /**
   * Google's documented limits of veo-3.1-lite-generate-001 (4, 6 or 8 s at 720p or 1080p, 1 to 4
   * samples): the API contract already allows no more, so this guards a contract that grows.
   */
  static void checkSupported(VideoOptions r) throws UnsupportedRequestException {
    if (!DURATIONS.contains(r.durationSeconds())) {
      throw new UnsupportedRequestException(
          "duration", "Veo 3.1 Lite makes 4, 6 or 8 second videos, not " + r.durationSeconds());
    }
  }

  /** Remarks for the task's reason: how far the seed pins the result. */
  static List<String> notes(VideoOptions r) {
    List<String> notes = new ArrayList<>();
    if (r.seedGiven()) {
      notes.add(
          "seed "
              + r.seed()
              + " was sent, but Vertex AI seeds each sample on its own and does not reproduce "
              + "prompt enhancement"
              + (r.enhancePrompt() ? " (on here)" : "")
              + ", so the seed does not pin every sample");
      SdkSeed.note(r.seed()).ifPresent(notes::add);
    }
    return notes;
  }

  static GenerateVideosSource source(GenerationRequest request) {
    return GenerateVideosSource.builder()
        .prompt(request.options().prompt())
        .image(image(request.firstFrame()))
        .build();
  }

  static GenerateVideosConfig config(GenerationRequest request, long seed) {
    VideoOptions r = request.options();
    var b =
        GenerateVideosConfig.builder()
            .lastFrame(image(request.lastFrame()))
            .numberOfVideos(r.sampleCount())
            .durationSeconds(r.durationSeconds())
            .resolution(r.resolution().wire())
            .aspectRatio(r.aspectRatio().wire())
            .personGeneration(r.personGeneration().wire())
            .enhancePrompt(r.enhancePrompt())
            .generateAudio(r.generateAudio())
            .seed(SdkSeed.of(seed));
    r.negativePrompt().ifPresent(b::negativePrompt);
    return b.build();
  }

  static Image image(InputImage in) {
    return Image.builder().imageBytes(in.bytes()).mimeType(in.format().mimeType()).build();
  }
}
