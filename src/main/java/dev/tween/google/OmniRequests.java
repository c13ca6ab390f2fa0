package dev.tween.google;

import com.google.genai.gaos.models.interactions.Content;
import com.google.genai.gaos.models.interactions.CreateModelInteraction;
import com.google.genai.gaos.models.interactions.CreateModelInteractionResponseFormat;
import com.google.genai.gaos.models.interactions.GenerationConfig;
import com.google.genai.gaos.models.interactions.ImageContent;
import com.google.genai.gaos.models.interactions.ImageContentMimeType;
import com.google.genai.gaos.models.interactions.InteractionsInput;
import com.google.genai.gaos.models.interactions.Model;
import com.google.genai.gaos.models.interactions.Resolution;
import com.google.genai.gaos.models.interactions.ResponseFormat;
import com.google.genai.gaos.models.interactions.TextContent;
import com.google.genai.gaos.models.interactions.VideoResponseFormat;
import com.google.genai.gaos.models.interactions.VideoResponseFormatAspectRatio;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.InputImage;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.generate.VideoOptions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** What tween sends Gemini Omni, and what of a request Omni cannot honour. */
final class OmniRequests {
  private OmniRequests() {}

  /**
   * Omni has no switch for people or for prompt rewriting: a request that asks for one cannot be
   * honoured.
   */
  static void checkSupported(VideoOptions r) throws UnsupportedRequestException {
    if (r.personGeneration() != VideoOptions.PersonGeneration.ALLOW_ADULT) {
      throw new UnsupportedRequestException(
          "person_generation",
          r.personGeneration().wire()
              + " cannot be honoured by Gemini Omni (it has no person-generation setting); send allow_adult or use the Veo route");
    }
    if (!r.enhancePrompt()) {
      throw new UnsupportedRequestException(
          "enhance_prompt",
          "false cannot be honoured by Gemini Omni (it always interprets the prompt); send true or use the Veo route");
    }
  }

  static List<String> notes(VideoOptions r) {
    List<String> notes = new ArrayList<>();
    r.negativePrompt()
        .ifPresent(
            n ->
                notes.add(
                    "negative_prompt was added to the prompt text (Omni has no separate field)"));
    if (!r.generateAudio())
      notes.add("Omni always makes sound; the audio track was removed (generate_audio=false)");
    if (r.seedGiven()) SdkSeed.note(r.seed()).ifPresent(notes::add);
    return notes;
  }

  /**
   * The interaction as the SDK sends it: both frames (first, then last), the prompt, the video
   * format, the seed.
   */
  static CreateModelInteraction interaction(String model, GenerationRequest request, long seed) {
    VideoOptions r = request.options();
    String text = r.prompt() + r.negativePrompt().map(n -> "\n\nAvoid: " + n).orElse("");
    List<Content> input =
        List.of(image(request.firstFrame()), image(request.lastFrame()), new TextContent(text));
    var format =
        new VideoResponseFormat(
            VideoResponseFormatAspectRatio.of(r.aspectRatio().wire()),
            null,
            r.durationSeconds() + "s",
            null,
            Resolution.of(r.resolution().wire()));
    return new CreateModelInteraction(Model.of(model))
        .withInput(InteractionsInput.ofContent(input))
        .withBackground(true)
        .withResponseFormat(CreateModelInteractionResponseFormat.of(ResponseFormat.of(format)))
        .withGenerationConfig(new GenerationConfig().withSeed(SdkSeed.of(seed)));
  }

  private static ImageContent image(InputImage in) {
    return new ImageContent(
        Base64.getEncoder().encodeToString(in.bytes()),
        ImageContentMimeType.of(in.format().mimeType()),
        null,
        null);
  }
}
