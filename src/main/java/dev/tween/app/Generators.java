package dev.tween.app;

import dev.tween.config.TweenConfig;
import dev.tween.engine.LocalGenerator;
import dev.tween.metrics.Metrics;
import dev.tween.engine.Mp4Check;
import dev.tween.veo.VeoGenerator;
import dev.tween.generate.Generator;
import java.time.Clock;

/** Builds the configured generator. */
final class Generators {
  private Generators() {}

  static Generator create(TweenConfig config, Clock clock, Metrics metrics) {
    return switch (config.generator()) {
      case "local" -> new LocalGenerator(metrics::engineFrame);
      case "veo" -> new VeoGenerator(config.veo(), clock, Mp4Check::verify, metrics::upstreamCall);
      default -> throw new dev.tween.config.ConfigException("generator " + config.generator() + " is not built yet");
    };
  }
}
