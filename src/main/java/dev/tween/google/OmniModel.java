package dev.tween.google;

import dev.tween.gateway.UpstreamModel;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.generate.VideoOptions;
import java.time.Duration;
import java.util.List;

/** Gemini Omni Flash as a generator: one interaction per sample. */
record OmniModel(Duration pollFirst) implements UpstreamModel {
  @Override
  public String name() {
    return "omni";
  }

  @Override
  public void checkSupported(VideoOptions options) throws UnsupportedRequestException {
    OmniRequests.checkSupported(options);
  }

  @Override
  public int operations(VideoOptions options) {
    return options.sampleCount();
  }

  @Override
  public Duration typical() {
    return Duration.ofSeconds(90);
  }

  @Override
  public Duration pollMax() {
    return Duration.ofSeconds(60);
  }

  @Override
  public List<String> notes(VideoOptions options) {
    return OmniRequests.notes(options);
  }
}
