package dev.tween.app;

import dev.tween.comfyui.ComfyUi;
import dev.tween.config.ConfigException;
import dev.tween.config.DeploymentSpec;
import dev.tween.config.TweenConfig;
import dev.tween.engine.AudioStrip;
import dev.tween.engine.LocalGenerator;
import dev.tween.engine.Mp4Check;
import dev.tween.engine.VideoFit;
import dev.tween.gateway.Deployment;
import dev.tween.gateway.Upstream;
import dev.tween.gateway.UpstreamModel;
import dev.tween.generate.Generator;
import dev.tween.google.CallObserver;
import dev.tween.google.GoogleGenerators;
import dev.tween.metrics.Metrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the configured generators: the local engine, the upstream models and their deployments.
 */
final class Generators {
  private Generators() {}

  static Generator local(Metrics metrics) {
    return new LocalGenerator(metrics::engineFrame);
  }

  static UpstreamModel model(String name, TweenConfig config) {
    return switch (name) {
      case "veo" -> GoogleGenerators.veoModel(config.veoPoll());
      case "omni" -> GoogleGenerators.omniModel(config.omniPoll());
      case "comfyui" -> ComfyUi.model();
      default -> throw new ConfigException("generator " + name + " does not run upstream");
    };
  }

  /** A connection to every configured deployment; none is left open when one fails. */
  static List<Deployment> deployments(TweenConfig config, Clock clock, Metrics metrics) {
    List<Deployment> all = new ArrayList<>();
    try {
      for (DeploymentSpec spec : config.deployments())
        all.add(new Deployment(spec, open(spec, clock, metrics), clock));
    } catch (RuntimeException e) {
      for (Deployment d : all) {
        try {
          d.close();
        } catch (Exception ignored) {
          // the start-up error is the one to report
        }
      }
      throw e;
    }
    return all;
  }

  private static Upstream open(DeploymentSpec spec, Clock clock, Metrics metrics) {
    CallObserver calls = (c, o) -> metrics.upstreamCall(spec.generator(), c, o);
    try {
      return switch (spec.generator()) {
        case "veo" -> GoogleGenerators.veo(spec.fields(), Mp4Check::verify, calls);
        case "omni" ->
            GoogleGenerators.omni(spec.fields(), Mp4Check::verify, AudioStrip::strip, calls);
        case "comfyui" -> ComfyUi.open(spec, VideoFit::fit, clock);
        default ->
            throw new ConfigException(
                "deployment "
                    + spec.name()
                    + ": generator "
                    + spec.generator()
                    + " does not exist");
      };
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
