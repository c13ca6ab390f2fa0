package dev.tween.google;

import dev.tween.gateway.UpstreamModel;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.generate.VideoOptions;
import java.time.Duration;
import java.util.List;

/** Veo 3.1 Lite as a generator: one operation per task makes every sample. */
record VeoModel(Duration pollFirst) implements UpstreamModel {
  @Override
  public String name() {
    return "veo";
  }

  @Override
  public void checkSupported(VideoOptions options) throws UnsupportedRequestException {
    VeoRequests.checkSupported(options);
  }

  @Override
  public int operations(VideoOptions options) {
    return 1;
  }

  @Override
  public Duration typical() {
    return Duration.ofSeconds(60);
  }

  @Override
  public Duration pollMax() {
    return Duration.ofSeconds(60);
  }

  @Override
  public List<String> notes(VideoOptions options) {
    return VeoRequests.notes(options);
  }
}
