package dev.tween.veo;

import com.google.genai.types.GenerateVideosConfig;
import com.google.genai.types.GenerateVideosSource;
import com.google.genai.types.Image;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.InputImage;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.generate.VideoOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The mapping of tween's request fields onto Veo's (see docs/veo.md for the table), including what
 * each backend does not accept.
 */
final class VeoRequests {
  private VeoRequests() {}

  static void checkSupported(VeoConfig.Backend backend, VideoOptions r) throws UnsupportedRequestException {
    if (backend == VeoConfig.Backend.GEMINI && r.generateAudio()) {
      throw new UnsupportedRequestException("generate_audio",
          "true is not supported by the Gemini API backend of Veo 3.1 Lite (it rejects generateAudio); "
              + "send false, or run tween with --veo-backend vertex");
    }
  }

  /** Remarks to report in the task's reason: fields the backend did not get. */
  static List<String> notes(VeoConfig.Backend backend, VideoOptions r) {
    List<String> notes = new ArrayList<>();
    if (backend == VeoConfig.Backend.GEMINI && r.seedGiven()) {
      notes.add("seed " + r.seed() + " was not sent: the Gemini API backend of Veo does not accept a seed");
    }
    if (backend == VeoConfig.Backend.VERTEX && r.seedGiven() && r.seed() > Integer.MAX_VALUE) {
      notes.add("seed " + r.seed() + " was sent as " + (r.seed() & Integer.MAX_VALUE)
          + " (the SDK's seed field is a signed 32-bit integer)");
    }
    return notes;
  }

  static GenerateVideosSource source(GenerationRequest request) {
    return GenerateVideosSource.builder().prompt(request.options().prompt()).image(image(request.firstFrame())).build();
  }

  static GenerateVideosConfig config(VeoConfig.Backend backend, GenerationRequest request) {
    VideoOptions r = request.options();
    var b = GenerateVideosConfig.builder()
        .lastFrame(image(request.lastFrame()))
        .numberOfVideos(r.sampleCount())
        .durationSeconds(r.durationSeconds())
        .resolution(r.resolution().wire())
        .aspectRatio(r.aspectRatio().wire())
        .personGeneration(r.personGeneration().wire())
        .enhancePrompt(r.enhancePrompt());
    r.negativePrompt().ifPresent(b::negativePrompt);
    if (backend == VeoConfig.Backend.VERTEX) {
      b.generateAudio(r.generateAudio());
      b.seed((int) (r.seed() & Integer.MAX_VALUE));
    }
    return b.build();
  }

  private static Image image(InputImage in) {
    return Image.builder().imageBytes(in.bytes()).mimeType(in.format().mimeType()).build();
  }
}
