package dev.tween.google;

import com.google.genai.Client;
import com.google.genai.types.GenerateVideosOperation;
import com.google.genai.types.GenerateVideosResponse;
import com.google.genai.types.GetOperationConfig;
import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.GenerationResult;
import dev.tween.generate.Generator;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.generate.VideoOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Google Veo 3.1 Lite on Vertex AI through the official SDK, as a crash-safe, charge-safe
 * generator: one submit per task whose operation name is stored before polling, so a re-run resumes
 * polling instead of paying again; samples are downloaded into tween's storage and verified before
 * success. The client and its credentials are made by {@link VeoClient}; the request by {@link
 * VeoRequests}; retry and poll policy is {@link Upstream}'s; error answers are classified by {@link
 * VeoErrors}; the finished videos are collected by {@link VeoSamples}.
 */
final class VeoGenerator implements Generator, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VeoGenerator.class);

  private final VeoConfig config;
  private final Clock clock;
  private final Client client;
  private final Semaphore permits;
  private final Upstream upstream;
  private final VeoSamples samples;

  VeoGenerator(VeoConfig config, Clock clock, SampleVerifier verifier) {
    this(config, clock, verifier, (c, o) -> {});
  }

  VeoGenerator(VeoConfig config, Clock clock, SampleVerifier verifier, CallObserver calls) {
    this.upstream =
        new Upstream(
            "Veo", config.polling(), calls, clock, new VeoErrors(config.project())::failure);
    this.config = config;
    this.clock = clock;
    this.samples = new VeoSamples(verifier);
    this.permits = new Semaphore(config.polling().concurrency(), true);
    this.client = VeoClient.create(config);
  }

  @Override
  public String name() {
    return "veo";
  }

  @Override
  public void checkSupported(VideoOptions options) throws UnsupportedRequestException {
    VeoRequests.checkSupported(options);
  }

  @Override
  public GenerationResult generate(GenerationJob job) throws GenerationException {
    Upstream.acquire(permits, job);
    try {
      Instant started = clock.instant();
      String operation = job.resumeState().orElse(null);
      if (operation == null) {
        operation = submit(job);
        job.saveResumeState(operation);
      } else {
        log.info("event=veo_resume task={} operation={}", job.taskId(), operation);
      }
      GenerateVideosResponse response = poll(job, operation, started);
      return samples.collect(job, response);
    } finally {
      permits.release();
    }
  }

  private String submit(GenerationJob job) throws GenerationException {
    GenerationRequest r = job.request();
    String name =
        upstream.submit(
            job,
            () ->
                client
                    .models
                    .generateVideos(config.model(), VeoRequests.source(r), VeoRequests.config(r))
                    .name()
                    .orElseThrow(
                        () ->
                            GenerationException.permanent(
                                "Veo accepted the request but returned no operation name")));
    log.info("event=veo_submitted task={} operation={}", job.taskId(), name);
    return name;
  }

  private GenerateVideosResponse poll(GenerationJob job, String operation, Instant started)
      throws GenerationException {
    GenerateVideosOperation op = GenerateVideosOperation.builder().name(operation).build();
    return upstream.poll(
        job,
        operation,
        started,
        0,
        0.9,
        () -> {
          GenerateVideosOperation now =
              client.operations.getVideosOperation(op, GetOperationConfig.builder().build());
          if (!now.done().orElse(false)) return Optional.empty();
          if (now.error().isPresent()) throw VeoErrors.operationError(operation, now.error().get());
          return Optional.of(
              now.response()
                  .orElseThrow(
                      () ->
                          GenerationException.permanent(
                              "Veo reported operation "
                                  + operation
                                  + " done with neither videos nor an error")));
        });
  }

  @Override
  public void close() {
    client.close();
  }
}
