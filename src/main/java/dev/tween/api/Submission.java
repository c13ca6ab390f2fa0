package dev.tween.api;

import dev.tween.generate.InputImage;
import dev.tween.generate.VideoOptions;
import java.net.URI;
import java.util.Optional;

/**
 * A submit body that passed every rule of the contract (a random seed chosen if none was given);
 * images are not stored yet.
 */
record Submission(
    ImageInput image, ImageInput lastFrameImage, VideoOptions options, Optional<URI> webhookUrl) {

  /** An image field's content: bytes sent inline, or a URL to fetch later. */
  sealed interface ImageInput {
    record Inline(InputImage image) implements ImageInput {}

    record Remote(URI url) implements ImageInput {}
  }
}
