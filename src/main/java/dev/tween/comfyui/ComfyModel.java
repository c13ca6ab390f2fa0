package dev.tween.comfyui;

import dev.tween.gateway.UpstreamModel;
import dev.tween.generate.Capabilities;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.generate.VideoOptions;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code comfyui} generator: one prompt per sample on the studio's own GPUs. It makes no sound
 * and enforces no content policy, so asking for either is a 400 at submit.
 */
final class ComfyModel implements UpstreamModel {
  private final Duration typical;

  ComfyModel(Duration typical) {
    this.typical = typical;
  }

  @Override
  public String name() {
    return ComfyUi.GENERATOR;
  }

  @Override
  public void checkSupported(VideoOptions o) throws UnsupportedRequestException {
    if (o.generateAudio())
      throw new UnsupportedRequestException(
          "generate_audio",
          "true cannot be honoured by the comfyui generator (its workflows make no sound); send false");
    if (o.personGeneration() != VideoOptions.PersonGeneration.ALLOW_ADULT)
      throw new UnsupportedRequestException(
          "person_generation",
          o.personGeneration().wire()
              + " cannot be honoured by the comfyui generator (an open model has no person filter);"
              + " send allow_adult");
  }

  /**
   * The prompt goes into the workflow as written: {@code enhance_prompt: false} is what it does.
   */
  @Override
  public Capabilities capabilities() {
    return new Capabilities(name(), Set.of("prompt", "negative_prompt", "enhance_prompt"));
  }

  @Override
  public int operations(VideoOptions o) {
    return o.sampleCount();
  }

  @Override
  public Duration typical() {
    return typical;
  }

  /**
   * A ComfyUI server sits on the studio's network and a poll costs it nothing, while each poll is
   * what carries the socket's progress to the task: so every 2 s at most.
   */
  @Override
  public Duration pollMax() {
    return Duration.ofSeconds(2);
  }
}
