package dev.tween.app;

import dev.tween.config.ConfigException;
import dev.tween.config.TweenConfig;
import dev.tween.engine.AudioStrip;
import dev.tween.engine.LocalGenerator;
import dev.tween.engine.Mp4Check;
import dev.tween.generate.Generator;
import dev.tween.google.GoogleGenerators;
import dev.tween.metrics.Metrics;
import java.time.Clock;

/** Builds a configured generator. */
final class Generators {
  private Generators() {}

  static Generator create(String name, TweenConfig config, Clock clock, Metrics metrics) {
    try {
      return switch (name) {
        case "local" -> new LocalGenerator(metrics::engineFrame);
        case "veo" ->
            GoogleGenerators.veo(
                config.veo(), clock, Mp4Check::verify, (c, o) -> metrics.upstreamCall("veo", c, o));
        case "omni" ->
            GoogleGenerators.omni(
                config.omni(),
                clock,
                Mp4Check::verify,
                AudioStrip::strip,
                (c, o) -> metrics.upstreamCall("omni", c, o));
        default -> throw new ConfigException("generator " + name + " does not exist");
      };
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
