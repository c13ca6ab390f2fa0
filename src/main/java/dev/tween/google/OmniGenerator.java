package dev.tween.google;

import com.google.genai.Client;
import com.google.genai.gaos.models.interactions.Interaction;
import com.google.genai.gaos.models.interactions.InteractionStatus;
import com.google.genai.gaos.models.interactions.VideoContent;
import com.google.genai.gaos.models.operations.CreateInteractionRequestBody;
import com.google.genai.gaos.models.operations.GetInteractionByIdRequest;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationResult;
import dev.tween.generate.Generator;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.generate.VideoOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gemini Omni Flash through the Interactions API of google-genai 2.x ({@code client.interactions}):
 * one background interaction per sample, each id stored before polling so a crash resumes instead
 * of paying again. Omni always makes sound; without {@code generate_audio} the track is removed
 * before the sample is stored. The request is built by {@link OmniRequests}, error answers are
 * classified by {@link OmniErrors}, and samples given as a link are fetched by {@link
 * OmniDownloads}.
 */
final class OmniGenerator implements Generator, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OmniGenerator.class);

  private final OmniConfig config;
  private final Clock clock;
  private final SampleVerifier verifier;
  private final GoogleGenerators.AudioStripper audio;
  private final Upstream upstream;
  private final Client client;
  private final Semaphore permits;
  private final OmniDownloads downloads;

  OmniGenerator(
      OmniConfig config,
      Clock clock,
      SampleVerifier verifier,
      GoogleGenerators.AudioStripper audio,
      CallObserver calls) {
    this.config = config;
    this.clock = clock;
    this.verifier = verifier;
    this.audio = audio;
    this.downloads = new OmniDownloads(config.baseUrl(), config.apiKey(), calls);
    this.upstream =
        new Upstream("Gemini Omni", config.polling(), calls, clock, OmniErrors::failure);
    this.permits = new Semaphore(config.polling().concurrency(), true);
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
  public String name() {
    return "omni";
  }

  @Override
  public void checkSupported(VideoOptions options) throws UnsupportedRequestException {
    OmniRequests.checkSupported(options);
  }

  @Override
  public GenerationResult generate(GenerationJob job) throws GenerationException {
    Upstream.acquire(permits, job);
    try {
      Instant started = clock.instant();
      int asked = job.request().options().sampleCount();
      List<String> ids =
          new ArrayList<>(job.resumeState().map(OmniGenerator::ids).orElse(List.of()));
      if (!ids.isEmpty()) log.info("event=omni_resume task={} interactions={}", job.taskId(), ids);
      while (ids.size() < asked) {
        ids.add(create(job));
        job.saveResumeState(
            String.join(",", ids)); // before polling: a crash resumes, never pays twice
      }
      List<String> dropped = new ArrayList<>();
      int stored = 0;
      for (int i = 0; i < ids.size(); i++) {
        Interaction done = poll(job, ids.get(i), started, i, asked);
        var video = done.outputVideo();
        if (video.isEmpty() || video.get().data().isEmpty() && video.get().uri().isEmpty()) {
          dropped.add(OmniErrors.refusal(ids.get(i), done));
          continue;
        }
        store(job, video.get(), job.sampleFile(stored));
        stored++;
      }
      if (stored == 0) {
        throw GenerationException.permanent(
            asked == 1
                ? dropped.getFirst()
                : "Gemini Omni made none of the "
                    + asked
                    + " samples: "
                    + String.join("; ", dropped));
      }
      List<String> notes = new ArrayList<>();
      if (!dropped.isEmpty())
        notes.add(
            dropped.size()
                + " of "
                + asked
                + " samples were not made: "
                + String.join("; ", dropped));
      notes.addAll(OmniRequests.notes(job.request().options()));
      return new GenerationResult(stored, dropped.size(), String.join("; ", notes));
    } finally {
      permits.release();
    }
  }

  private static List<String> ids(String state) {
    return Arrays.stream(state.split(",")).filter(s -> !s.isBlank()).toList();
  }

  private String create(GenerationJob job) throws GenerationException {
    var body =
        CreateInteractionRequestBody.of(OmniRequests.interaction(config.model(), job.request()));
    String id =
        upstream.submit(
            job,
            () ->
                client
                    .interactions
                    .create(body)
                    .interaction()
                    .orElseThrow(
                        () ->
                            GenerationException.permanent(
                                "Gemini accepted the interaction but returned no body"))
                    .id()
                    .orElseThrow(
                        () ->
                            GenerationException.permanent(
                                "Gemini returned an interaction without an id")));
    log.info("event=omni_submitted task={} interaction={}", job.taskId(), id);
    return id;
  }

  private Interaction poll(GenerationJob job, String id, Instant started, int index, int of)
      throws GenerationException {
    return upstream.poll(
        job,
        id,
        started,
        0.9 * index / of,
        0.9 * (index + 1) / of,
        () -> {
          Interaction now =
              client
                  .interactions
                  .get(new GetInteractionByIdRequest(id))
                  .interaction()
                  .orElseThrow(
                      () ->
                          GenerationException.transientFailure(
                              "Gemini answered the poll of " + id + " without a body", null));
          String status = now.status().map(InteractionStatus::value).orElse("in_progress");
          return switch (status) {
            case "completed" -> Optional.of(now);
            case "in_progress", "queued" -> Optional.empty();
            case "failed" ->
                throw GenerationException.permanent(
                    "Gemini interaction " + id + " failed: " + OmniErrors.errors(now));
            default ->
                throw GenerationException.permanent(
                    "Gemini interaction "
                        + id
                        + " ended "
                        + status
                        + ": "
                        + OmniErrors.errors(now));
          };
        });
  }

  private void store(GenerationJob job, VideoContent video, Path target)
      throws GenerationException {
    try {
      if (video.data().isPresent()) {
        Files.write(target, Base64.getDecoder().decode(video.data().get()));
      } else {
        downloads.download(URI.create(video.uri().get()), target);
      }
      if (!job.request().options().generateAudio()) audio.strip(target);
      verifier.verify(target);
    } catch (IOException | IllegalArgumentException e) {
      throw GenerationException.transientFailure(
          "storing a Gemini Omni sample failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
