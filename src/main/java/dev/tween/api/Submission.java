package dev.tween.api;

import dev.tween.generate.GenerationRequest.AspectRatio;
import dev.tween.generate.GenerationRequest.PersonGeneration;
import dev.tween.generate.GenerationRequest.Resolution;
import dev.tween.generate.InputImage;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;

/** A submit body that passed every rule of the contract; images are not stored yet. */
record Submission(
    ImageInput image,
    ImageInput lastFrameImage,
    String prompt,
    Optional<String> negativePrompt,
    int durationSeconds,
    Resolution resolution,
    AspectRatio aspectRatio,
    int sampleCount,
    OptionalLong seed,
    boolean enhancePrompt,
    boolean generateAudio,
    PersonGeneration personGeneration,
    Optional<URI> webhookUrl) {

  /** An image field's content: bytes sent inline, or a URL to fetch later. */
  sealed interface ImageInput {
    record Inline(InputImage image) implements ImageInput {}

    record Remote(URI url) implements ImageInput {}
  }
}
