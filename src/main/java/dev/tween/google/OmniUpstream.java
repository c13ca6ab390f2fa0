package dev.tween.google;

import com.google.genai.Client;
import com.google.genai.gaos.models.interactions.Interaction;
import com.google.genai.gaos.models.interactions.InteractionStatus;
import com.google.genai.gaos.models.interactions.VideoContent;
import com.google.genai.gaos.models.operations.CreateInteractionRequestBody;
import com.google.genai.gaos.models.operations.GetInteractionByIdRequest;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import dev.tween.config.DeploymentFields;
import dev.tween.gateway.Delivery;
import dev.tween.gateway.OperationRequest;
import dev.tween.gateway.OperationState;
import dev.tween.gateway.SampleFiles;
import dev.tween.gateway.Upstream;
import dev.tween.gateway.UpstreamException;
import dev.tween.generate.VideoOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One Gemini API key's access to Gemini Omni Flash through the Interactions API of google-genai 2.x
 * ({@code client.interactions}): one background interaction per sample, each with its own seed.
 * Omni always makes sound; without {@code generate_audio} the track is removed before the sample
 * counts. Samples given as a link are fetched by {@link OmniDownloads}.
 */
final class OmniUpstream implements Upstream {
  private final OmniConfig config;
  private final SampleVerifier verifier;
  private final GoogleGenerators.AudioStripper audio;
  private final SdkCalls sdk;
  private final Client client;
  private final OmniDownloads downloads;

  OmniUpstream(
      DeploymentFields fields,
      SampleVerifier verifier,
      GoogleGenerators.AudioStripper audio,
      CallObserver calls) {
    this.config = OmniConfig.from(fields);
    this.verifier = verifier;
    this.audio = audio;
    this.sdk = new SdkCalls(calls, OmniErrors::failure);
    this.downloads = new OmniDownloads(config.baseUrl(), config.apiKey(), calls);
    // v1beta: the version Google documents for Omni's background interactions (the SDK's default is
    // v1).
    var http =
        HttpOptions.builder()
            .apiVersion("v1beta")
            .timeout((int) Duration.ofSeconds(60).toMillis())
            .retryOptions(HttpRetryOptions.builder().attempts(1).build());
    config.baseUrl().ifPresent(u -> http.baseUrl(u.toString()));
    this.client = Client.builder().apiKey(config.apiKey()).httpOptions(http.build()).build();
  }

  @Override
  public String create(OperationRequest request, Optional<String> chosenId)
      throws UpstreamException {
    var body =
        CreateInteractionRequestBody.of(
            OmniRequests.interaction(config.model(), request.request(), request.seed()));
    Interaction created =
        sdk.create("creating a Gemini Omni interaction", () -> client.interactions.create(body))
            .interaction()
            .orElseThrow(
                () ->
                    new UpstreamException.Ambiguous(
                        "Gemini accepted the interaction but returned no body", null));
    return created
        .id()
        .orElseThrow(
            () ->
                new UpstreamException.Ambiguous(
                    "Gemini returned an interaction without an id", null));
  }

  @Override
  public OperationState poll(String id) throws UpstreamException {
    Interaction now =
        sdk.poll(
                "polling Gemini Omni",
                () -> client.interactions.get(new GetInteractionByIdRequest(id)))
            .interaction()
            .orElseThrow(
                () ->
                    new UpstreamException.Unavailable(
                        "Gemini answered the poll of " + id + " without a body", null));
    String status = now.status().map(InteractionStatus::value).orElse("in_progress");
    return switch (status) {
      case "completed" -> new OperationState.Finished(now);
      case "in_progress", "queued" -> OperationState.Running.unknown();
      case "failed" ->
          throw new UpstreamException.Rejected(
              "Gemini interaction " + id + " failed: " + OmniErrors.errors(now), null);
      default ->
          throw new UpstreamException.Rejected(
              "Gemini interaction " + id + " ended " + status + ": " + OmniErrors.errors(now),
              null);
    };
  }

  @Override
  public Delivery deliver(
      String id, OperationState.Finished finished, VideoOptions options, SampleFiles out)
      throws UpstreamException {
    Interaction done = (Interaction) finished.result();
    var video = done.outputVideo();
    if (video.isEmpty() || video.get().data().isEmpty() && video.get().uri().isEmpty()) {
      return new Delivery(0, 1, List.of(OmniErrors.refusal(id, done)));
    }
    store(video.get(), options, out.file(0));
    return new Delivery(1, 0, List.of());
  }

  private void store(VideoContent video, VideoOptions options, Path target)
      throws UpstreamException {
    try {
      if (video.data().isPresent()) {
        Files.write(target, Base64.getDecoder().decode(video.data().get()));
      } else {
        downloads.download(URI.create(video.uri().get()), target);
      }
      if (!options.generateAudio()) audio.strip(target);
      verifier.verify(target);
    } catch (IOException | IllegalArgumentException e) {
      throw new UpstreamException.Unavailable(
          "storing a Gemini Omni sample failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
