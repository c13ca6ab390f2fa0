package dev.tween.google;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.types.GenerateVideosOperation;
import com.google.genai.types.GenerateVideosResponse;
import com.google.genai.types.GeneratedVideo;
import com.google.genai.types.GetOperationConfig;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.GenerationResult;
import dev.tween.generate.Generator;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.generate.VideoOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Google Veo 3.1 Lite on Vertex AI through the official SDK, as a crash-safe, charge-safe
 * generator: one submit per task whose operation name is stored before polling, so a re-run resumes
 * polling instead of paying again; samples are downloaded into tween's storage and verified before
 * success.
 */
public final class VeoGenerator implements Generator, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VeoGenerator.class);

  private final VeoConfig config;
  private final Clock clock;
  private final SampleVerifier verifier;
  private final Client client;
  private final Semaphore permits;

  private final Upstream upstream;

  public VeoGenerator(VeoConfig config, Clock clock, SampleVerifier verifier) {
    this(config, clock, verifier, (c, o) -> {});
  }

  public VeoGenerator(VeoConfig config, Clock clock, SampleVerifier verifier, CallObserver calls) {
    this.upstream = new Upstream("Veo", config.polling(), calls, clock, this::failure);
    this.config = config;
    this.clock = clock;
    this.verifier = verifier;
    this.permits = new Semaphore(config.polling().concurrency(), true);
    this.client = client(config);
  }

  private static Client client(VeoConfig c) {
    var http =
        HttpOptions.builder()
            .timeout((int) Duration.ofSeconds(60).toMillis())
            // Retries are ours: each one is visible, counted and bounded per task.
            .retryOptions(HttpRetryOptions.builder().attempts(1).build());
    c.baseUrl().ifPresent(u -> http.baseUrl(u.toString()));
    return Client.builder()
        .httpOptions(http.build())
        .vertexAI(true)
        .project(c.project())
        .location(c.location())
        .credentials(credentials(c))
        .build();
  }

  /**
   * The service account of {@code --veo-credentials}, else Application Default Credentials; a node
   * without usable credentials must not start (every Veo task would fail).
   */
  static GoogleCredentials credentials(VeoConfig c) {
    if (c.credentials().isPresent()) {
      Path file = c.credentials().get();
      try (InputStream in = Files.newInputStream(file)) {
        return GoogleCredentials.fromStream(in).createScoped(SCOPE);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "cannot read the Vertex AI credentials "
                + file
                + " (--veo-credentials / "
                + "TWEEN_VEO_CREDENTIALS): "
                + e.getMessage()
                + ". Point it at a service-account key JSON (see docs/veo.md), "
                + "or leave it empty to use Application Default Credentials",
            e);
      }
    }
    try {
      return GoogleCredentials.getApplicationDefault().createScoped(SCOPE);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "no Google credentials for Vertex AI: set --veo-credentials / TWEEN_VEO_CREDENTIALS "
              + "to a service-account key JSON, or GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth application-default "
              + "login` (see docs/veo.md). "
              + e.getMessage(),
          e);
    }
  }

  private static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

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
      return collect(job, response);
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
          if (now.error().isPresent()) throw operationError(operation, now.error().get());
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

  private GenerationResult collect(GenerationJob job, GenerateVideosResponse response)
      throws GenerationException {
    List<GeneratedVideo> videos = response.generatedVideos().orElse(List.of());
    int filtered = response.raiMediaFilteredCount().orElse(0);
    String reasons = String.join("; ", response.raiMediaFilteredReasons().orElse(List.of()));
    if (videos.isEmpty()) {
      throw GenerationException.permanent(
          filtered > 0
              ? "Veo's safety filters removed every sample ("
                  + filtered
                  + "): "
                  + (reasons.isEmpty() ? "no reason given" : reasons)
              : "Veo finished without returning any video and without a reason");
    }
    int asked = job.request().options().sampleCount();
    int n = Math.min(videos.size(), asked);
    for (int i = 0; i < n; i++) {
      if (job.canceled()) throw GenerationException.canceled();
      store(videos.get(i), job.sampleFile(i));
      job.progress(0.9 + 0.1 * (i + 1) / n);
    }
    List<String> notes = new ArrayList<>(VeoRequests.notes(job.request().options()));
    if (n < asked) {
      notes.add(
          0,
          (asked - n)
              + " of "
              + asked
              + " samples were removed by Veo's safety filters"
              + (reasons.isEmpty() ? "" : ": " + reasons));
    }
    return new GenerationResult(n, asked - n, String.join("; ", notes));
  }

  private void store(GeneratedVideo generated, Path target) throws GenerationException {
    var video =
        generated
            .video()
            .orElseThrow(
                () -> GenerationException.permanent("Veo returned a sample without a video"));
    // Without a storageUri Vertex returns the samples inline; tween never asks for Cloud Storage.
    byte[] bytes =
        video
            .videoBytes()
            .orElseThrow(
                () ->
                    GenerationException.permanent(
                        "Veo returned a sample as "
                            + video.uri().orElse("nothing")
                            + " instead of inline bytes"));
    try {
      Files.write(target, bytes);
      verifier.verify(target);
    } catch (IOException e) {
      throw GenerationException.transientFailure(
          "storing a Veo sample failed: " + e.getMessage(), e);
    }
  }

  private static GenerationException operationError(String operation, Map<String, Object> error) {
    return GenerationException.permanent(
        "Veo operation "
            + operation
            + " failed: "
            + error.getOrDefault("message", "no message")
            + " (code "
            + error.getOrDefault("code", "?")
            + ")");
  }

  private GenerationException failure(String what, ApiException e) {
    String reason =
        switch (e.code()) {
          case 401, 403 ->
              "Google rejected the Vertex AI credentials ("
                  + e.code()
                  + " "
                  + e.status()
                  + "): "
                  + e.message()
                  + " — the service account needs roles/aiplatform.user on project "
                  + config.project()
                  + " and the Vertex AI API must be enabled";
          case 400 -> "Veo rejected the request (400): " + e.message();
          case 404 ->
              "Veo model or operation not found (404): "
                  + e.message()
                  + " — check --veo-model and --veo-location";
          default -> what + " failed (" + e.code() + " " + e.status() + "): " + e.message();
        };
    return Upstream.retryable(e.code())
        ? GenerationException.transientFailure(reason, e)
        : GenerationException.permanent(reason, e);
  }

  @Override
  public void close() {
    client.close();
  }
}
