package dev.tween.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tween.gateway.Delivery;
import dev.tween.gateway.OperationRequest;
import dev.tween.gateway.OperationState;
import dev.tween.gateway.SampleFiles;
import dev.tween.gateway.Upstream;
import dev.tween.gateway.UpstreamException;
import dev.tween.generate.InputImage;
import dev.tween.generate.VideoOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ComfyUI server as a deployment: one prompt per sample, queued under a {@code prompt_id} tween
 * chose and stored first, followed through {@code /queue} and {@code /history}, its video fetched
 * with {@code /view} and fitted to the requested size.
 */
final class ComfyUpstream implements Upstream {
  private static final Logger log = LoggerFactory.getLogger(ComfyUpstream.class);

  private final ComfyDeployment deployment;
  private final ComfyClient client;
  private final ProgressFeed progress;
  private final ComfyUi.VideoFitter fitter;
  private final OkHttpClient http;
  private final String clientId = "tween-" + UUID.randomUUID();

  ComfyUpstream(
      ComfyDeployment deployment, OkHttpClient http, ComfyUi.VideoFitter fitter, Clock clock) {
    this.deployment = deployment;
    this.http = http;
    this.fitter = fitter;
    this.client = new ComfyClient(http, deployment.baseUrl());
    this.progress =
        new ProgressFeed(
            http.newBuilder()
                .readTimeout(Duration.ZERO)
                .callTimeout(Duration.ZERO)
                .pingInterval(Duration.ofSeconds(20))
                .build(),
            deployment.baseUrl(),
            clientId,
            clock,
            deployment.name());
    progress.ensureOpen();
  }

  @Override
  public Optional<String> chooseId() {
    return Optional.of(UUID.randomUUID().toString());
  }

  @Override
  public boolean exists(String id) throws UpstreamException {
    return client.queue().holds(id) || client.history(id).isPresent();
  }

  @Override
  public String create(OperationRequest op, Optional<String> chosenId) throws UpstreamException {
    String id = chosenId.orElseGet(() -> UUID.randomUUID().toString());
    if (chosenId.isPresent() && exists(id)) {
      log.info("event=comfyui_prompt_exists deployment={} prompt_id={}", deployment.name(), id);
      return id;
    }
    VideoOptions o = op.request().options();
    Map<Placeholder, JsonNode> values = new EnumMap<>(Placeholder.class);
    values.put(Placeholder.FIRST_IMAGE, TextNode.valueOf(upload(op.request().firstFrame())));
    values.put(Placeholder.LAST_IMAGE, TextNode.valueOf(upload(op.request().lastFrame())));
    values.put(Placeholder.PROMPT, TextNode.valueOf(o.prompt()));
    values.put(Placeholder.NEGATIVE_PROMPT, TextNode.valueOf(o.negativePrompt().orElse("")));
    values.put(Placeholder.SEED, LongNode.valueOf(op.seed()));
    values.put(Placeholder.WIDTH, IntNode.valueOf(ComfyDeployment.modelSize(o.width())));
    values.put(Placeholder.HEIGHT, IntNode.valueOf(ComfyDeployment.modelSize(o.height())));
    values.put(Placeholder.FRAMES, IntNode.valueOf(deployment.frames(o.durationSeconds())));
    values.put(Placeholder.FPS, IntNode.valueOf(deployment.fps()));
    progress.ensureOpen();
    progress.expect(id, deployment.workflow().samplers());
    JsonNode left = client.prompt(deployment.workflow().fill(values), id, clientId);
    if (!left.isEmpty()) {
      // Queued, but without some of its outputs: it would run for nothing, so take it back.
      cancel(id);
      throw new UpstreamException.Rejected(
          ComfyErrors.rejected(Workflow.JSON.createObjectNode().set("node_errors", left)), null);
    }
    log.info(
        "event=comfyui_prompt_queued deployment={} task={} sample={} prompt_id={} seed={}",
        deployment.name(),
        op.taskId(),
        op.index(),
        id,
        op.seed());
    return id;
  }

  /** Frames are named by their content, so a retried or second sample re-uses the same file. */
  private String upload(InputImage image) throws UpstreamException {
    String ext = image.format() == InputImage.Format.PNG ? ".png" : ".jpg";
    return client.upload(
        image.bytes(), "tween-" + sha256(image.bytes()) + ext, image.format().mimeType());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code /queue} first: a prompt missing from it has either finished (then {@code /history} has
   * it, since ComfyUI moves it there in one step) or was dropped by a restart.
   */
  @Override
  public OperationState poll(String id) throws UpstreamException {
    progress.ensureOpen();
    ComfyClient.Queue queue = client.queue();
    if (queue.running().contains(id)) return new OperationState.Running(progress.fraction(id));
    if (queue.pending().contains(id)) return new OperationState.Running(OptionalDouble.of(0));
    JsonNode entry =
        client
            .history(id)
            .orElseThrow(
                () ->
                    new UpstreamException.Lost(
                        "ComfyUI at "
                            + deployment.baseUrl()
                            + " no longer knows prompt "
                            + id
                            + " (restarted, or its history was cleared)",
                        null));
    progress.forget(id);
    JsonNode status = entry.path("status");
    if (!status.isObject() || status.path("status_str").asText().equals("success"))
      return new OperationState.Finished(entry.path("outputs"));
    throw new UpstreamException.Rejected(ComfyErrors.failed(id, status), null);
  }

  @Override
  public Delivery deliver(
      String id, OperationState.Finished finished, VideoOptions o, SampleFiles out)
      throws UpstreamException {
    JsonNode outputs = (JsonNode) finished.result();
    ComfyClient.OutputFile video =
        Outputs.video(outputs)
            .orElseThrow(
                () ->
                    new UpstreamException.Rejected(
                        "ComfyUI prompt "
                            + id
                            + " finished without a video (its outputs hold "
                            + Outputs.describe(outputs)
                            + "); end the workflow with SaveVideo or VHS_VideoCombine",
                        null));
    Path target = out.file(0);
    Path download = target.resolveSibling(target.getFileName() + ".comfyui");
    try {
      client.download(video, download);
      fitter.fit(download, target, o.width(), o.height());
    } catch (IllegalArgumentException e) {
      throw new UpstreamException.Rejected(
          "ComfyUI's output "
              + video.filename()
              + " is not a video tween can read: "
              + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new UpstreamException.Unavailable(
          "converting ComfyUI's output " + video.filename() + " failed: " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(download);
      } catch (IOException e) {
        log.warn("event=comfyui_temp_left file={} cause=\"{}\"", download, e.getMessage());
      }
    }
    log.info(
        "event=comfyui_delivered deployment={} prompt_id={} file={}",
        deployment.name(),
        id,
        video.filename());
    return new Delivery(1, 0, notes(o));
  }

  private List<String> notes(VideoOptions o) {
    List<String> notes = new ArrayList<>();
    if (o.negativePrompt().isPresent() && !deployment.workflow().has(Placeholder.NEGATIVE_PROMPT))
      notes.add(
          "negative_prompt was ignored: the workflow of deployment "
              + deployment.name()
              + " has no {{negative_prompt}}");
    if (o.seedGiven() && !deployment.workflow().has(Placeholder.SEED))
      notes.add(
          "seed was ignored: the workflow of deployment " + deployment.name() + " has no {{seed}}");
    return notes;
  }

  /** Drops the prompt if it waits, and interrupts it if it is the one running. */
  @Override
  public void cancel(String id) throws UpstreamException {
    client.delete(id);
    if (client.queue().running().contains(id)) client.interrupt(id);
    progress.forget(id);
    log.info("event=comfyui_prompt_canceled deployment={} prompt_id={}", deployment.name(), id);
  }

  @Override
  public void close() {
    progress.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
