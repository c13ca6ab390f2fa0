package dev.tween.google;

import com.google.genai.Client;
import com.google.genai.types.GenerateVideosOperation;
import com.google.genai.types.GenerateVideosResponse;
import com.google.genai.types.GetOperationConfig;
import dev.tween.config.DeploymentFields;
import dev.tween.gateway.Delivery;
import dev.tween.gateway.OperationRequest;
import dev.tween.gateway.OperationState;
import dev.tween.gateway.SampleFiles;
import dev.tween.gateway.Upstream;
import dev.tween.gateway.UpstreamException;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.VideoOptions;
import java.util.Optional;

/**
 * One Vertex AI deployment of Veo 3.1 Lite (a project and a region) through the official SDK: one
 * operation per task makes every sample; its name is what the gateway stores and polls. Samples
 * come back inline and are verified before they count.
 */
final class VeoUpstream implements Upstream {
  private final VeoConfig config;
  private final Client client;
  private final SdkCalls sdk;
  private final VeoSamples samples;

  VeoUpstream(DeploymentFields fields, SampleVerifier verifier, CallObserver calls) {
    this.config = VeoConfig.from(fields);
    this.sdk = new SdkCalls(calls, new VeoErrors(config.project())::failure);
    this.samples = new VeoSamples(verifier);
    try {
      this.client = VeoClient.create(config);
    } catch (IllegalArgumentException e) {
      throw fields.invalid("credentials", e.getMessage());
    }
  }

  @Override
  public String create(OperationRequest request, Optional<String> chosenId)
      throws UpstreamException {
    GenerationRequest r = request.request();
    GenerateVideosOperation op =
        sdk.create(
            "submitting to Veo",
            () ->
                client.models.generateVideos(
                    config.model(), VeoRequests.source(r), VeoRequests.config(r, request.seed())));
    return op.name()
        .orElseThrow(
            () ->
                new UpstreamException.Ambiguous(
                    "Veo accepted the request but returned no operation name", null));
  }

  @Override
  public OperationState poll(String id) throws UpstreamException {
    GenerateVideosOperation now =
        sdk.poll(
            "polling Veo",
            () ->
                client.operations.getVideosOperation(
                    GenerateVideosOperation.builder().name(id).build(),
                    GetOperationConfig.builder().build()));
    if (!now.done().orElse(false)) return OperationState.Running.unknown();
    if (now.error().isPresent()) throw VeoErrors.operationError(id, now.error().get());
    return new OperationState.Finished(
        now.response()
            .orElseThrow(
                () ->
                    new UpstreamException.Rejected(
                        "Veo reported operation " + id + " done with neither videos nor an error",
                        null)));
  }

  @Override
  public Delivery deliver(
      String id, OperationState.Finished finished, VideoOptions options, SampleFiles out)
      throws UpstreamException {
    return samples.collect((GenerateVideosResponse) finished.result(), options, out);
  }

  @Override
  public void close() {
    client.close();
  }
}
