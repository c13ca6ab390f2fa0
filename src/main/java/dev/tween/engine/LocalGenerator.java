package dev.tween.engine;

import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.GenerationResult;
import dev.tween.generate.Generator;
import dev.tween.image.ImageDecodeException;
import dev.tween.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The embedded default generator: the CPU tweening engine, no key, no network. */
public final class LocalGenerator implements Generator {
  private final TweenEngine engine;

  /**
   * @param frameNanos told how long each frame took to synthesize and encode (metrics)
   */
  public LocalGenerator(java.util.function.LongConsumer frameNanos) {
    this.engine = new TweenEngine(frameNanos);
  }

  public LocalGenerator() {
    this(n -> {});
  }

  @Override
  public String name() {
    return "local";
  }

  /** The engine renders motion between the two frames only: no text, no content policy. */
  @Override
  public dev.tween.generate.Capabilities capabilities() {
    return dev.tween.generate.Capabilities.framesOnly(name());
  }

  @Override
  public GenerationResult generate(GenerationJob job) throws GenerationException {
    GenerationRequest request = job.request();
    var r = request.options();
    BufferedImage first = decode("image", request.firstFrame());
    BufferedImage last = decode("last_frame_image", request.lastFrame());
    List<Path> outputs = new ArrayList<>();
    for (int i = 0; i < r.sampleCount(); i++) outputs.add(job.sampleFile(i));
    var clip =
        new TweenEngine.Clip(r.width(), r.height(), r.frameCount(), r.seed(), r.generateAudio());
    try {
      engine.render(
          first, last, clip, outputs, Optional.of(job.posterFile()), job::progress, job::canceled);
    } catch (TweenEngine.Canceled e) {
      throw GenerationException.canceled();
    } catch (IOException e) {
      throw GenerationException.transientFailure(
          "the local engine could not write the video: " + e.getMessage(), e);
    }
    return GenerationResult.of(outputs.size());
  }

  private static BufferedImage decode(String field, dev.tween.generate.InputImage image)
      throws GenerationException {
    try {
      return ImageDecoder.decode(image);
    } catch (ImageDecodeException e) {
      throw GenerationException.permanent(field + ": " + e.getMessage());
    }
  }
}
