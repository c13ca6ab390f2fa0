package dev.tween.comfyui;

import dev.tween.config.DeploymentFields;
import dev.tween.config.DeploymentSpec;
import okhttp3.HttpUrl;

/**
 * A {@code comfyui} deployment's own fields, checked at start-up: {@code base_url}, {@code
 * workflow} (a file in API format, see {@link Workflow}) and {@code fps} (default 16).
 *
 * @param baseUrl always ends with {@code /}, so routes resolve under a path prefix
 */
record ComfyDeployment(String name, HttpUrl baseUrl, Workflow workflow, int fps) {
  static final int DEFAULT_FPS = 16;

  static ComfyDeployment from(DeploymentSpec spec) {
    DeploymentFields f = spec.fields();
    String url = f.url("base_url").toString();
    HttpUrl base = HttpUrl.get(url.endsWith("/") ? url : url + "/");
    var file = f.file("workflow");
    int fps = f.intIn("fps", 1, 120, DEFAULT_FPS);
    f.rejectUnknown();
    return new ComfyDeployment(
        spec.name(), base, Workflow.load(file, rule -> f.invalid("workflow", rule)), fps);
  }

  /** {@code {{frames}}}: one frame more than the duration at {@code fps}, as Wan counts them. */
  int frames(int durationSeconds) {
    return durationSeconds * fps + 1;
  }

  /**
   * {@code {{width}}} and {@code {{height}}}: the requested size rounded up to a multiple of 16
   * (Wan's latent grid); the delivered video is cropped back to the requested size.
   */
  static int modelSize(int pixels) {
    return (pixels + 15) / 16 * 16;
  }
}
