package dev.tween.comfyui;

import dev.tween.config.ConfigException;
import dev.tween.config.DeploymentSpec;
import dev.tween.gateway.Upstream;
import dev.tween.gateway.UpstreamModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The face of {@code comfyui}, the only package that talks to ComfyUI: the {@code comfyui}
 * generator and one {@link Upstream} per ComfyUI server.
 */
public final class ComfyUi {
  public static final String GENERATOR = "comfyui";

  /** Typical time of one Wan 2.2 14B prompt on one GPU, for the eta before progress arrives. */
  public static final Duration TYPICAL = Duration.ofMinutes(10);

  private ComfyUi() {}

  /** Re-encodes the video a workflow made into what tween delivers. */
  @FunctionalInterface
  public interface VideoFitter {
    /**
     * Writes {@code out}: H.264 MP4 of exactly {@code width × height} (scaled to cover, then
     * centre-cropped), at the frame rate of {@code in}, checked playable.
     *
     * @throws IllegalArgumentException {@code in} is not a video it can decode
     * @throws IOException reading or writing the files failed
     */
    void fit(Path in, Path out, int width, int height) throws IOException;
  }

  public static UpstreamModel model() {
    return new ComfyModel(TYPICAL);
  }

  /**
   * Opens a {@code comfyui} deployment. Its fields and workflow are checked here, so a bad one
   * stops the node at start-up. The server need not answer yet: only the progress socket is opened
   * now, in the background, and reopened when it is next needed.
   *
   * @throws ConfigException naming the deployments file, the deployment, the field and, for the
   *     workflow, the file and what is wrong with it
   */
  public static Upstream open(DeploymentSpec spec, VideoFitter fitter, Clock clock) {
    if (!GENERATOR.equals(spec.generator()))
      throw new IllegalArgumentException(spec.name() + " is a " + spec.generator() + " deployment");
    ComfyDeployment d = ComfyDeployment.from(spec);
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(60))
            .writeTimeout(Duration.ofSeconds(60))
            .callTimeout(Duration.ofMinutes(10))
            // aiohttp closes idle connections after 75 s; none is kept that long.
            .connectionPool(new ConnectionPool(4, 30, TimeUnit.SECONDS))
            .followRedirects(false)
            .build();
    return new ComfyUpstream(d, http, fitter, clock);
  }
}
