package dev.tween.google;

import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.gaos.models.interactions.Content;
import com.google.genai.gaos.models.interactions.CreateModelInteraction;
import com.google.genai.gaos.models.interactions.CreateModelInteractionResponseFormat;
import com.google.genai.gaos.models.interactions.GenerationConfig;
import com.google.genai.gaos.models.interactions.ImageContent;
import com.google.genai.gaos.models.interactions.ImageContentMimeType;
import com.google.genai.gaos.models.interactions.Interaction;
import com.google.genai.gaos.models.interactions.InteractionStatus;
import com.google.genai.gaos.models.interactions.InteractionsInput;
import com.google.genai.gaos.models.interactions.Model;
import com.google.genai.gaos.models.interactions.Resolution;
import com.google.genai.gaos.models.interactions.ResponseFormat;
import com.google.genai.gaos.models.interactions.TextContent;
import com.google.genai.gaos.models.interactions.VideoContent;
import com.google.genai.gaos.models.interactions.VideoResponseFormat;
import com.google.genai.gaos.models.interactions.VideoResponseFormatAspectRatio;
import com.google.genai.gaos.models.operations.CreateInteractionRequestBody;
import com.google.genai.gaos.models.operations.GetInteractionByIdRequest;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.GenerationResult;
import dev.tween.generate.Generator;
import dev.tween.generate.InputImage;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.generate.VideoOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * before the sample is stored.
 */
final class OmniGenerator implements Generator, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OmniGenerator.class);

  private final OmniConfig config;
  private final Clock clock;
  private final SampleVerifier verifier;
  private final GoogleGenerators.AudioStripper audio;
  private final Upstream upstream;
  private final CallObserver calls;
  private final Client client;
  private final Semaphore permits;
  private final HttpClient downloads =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

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
    this.calls = calls;
    this.upstream = new Upstream("Gemini Omni", config.polling(), calls, clock, this::failure);
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

  /**
   * Omni has no switch for people or for prompt rewriting: a request that asks for one cannot be
   * honoured.
   */
  @Override
  public void checkSupported(VideoOptions r) throws UnsupportedRequestException {
    if (r.personGeneration() != VideoOptions.PersonGeneration.ALLOW_ADULT) {
      throw new UnsupportedRequestException(
          "person_generation",
          r.personGeneration().wire()
              + " cannot be honoured by Gemini Omni (it has no person-generation setting); send allow_adult or use the Veo route");
    }
    if (!r.enhancePrompt()) {
      throw new UnsupportedRequestException(
          "enhance_prompt",
          "false cannot be honoured by Gemini Omni (it always interprets the prompt); send true or use the Veo route");
    }
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
          dropped.add(refusal(ids.get(i), done));
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
      notes.addAll(notes(job.request().options()));
      return new GenerationResult(stored, dropped.size(), String.join("; ", notes));
    } finally {
      permits.release();
    }
  }

  static List<String> notes(VideoOptions r) {
    List<String> notes = new ArrayList<>();
    r.negativePrompt()
        .ifPresent(
            n ->
                notes.add(
                    "negative_prompt was added to the prompt text (Omni has no separate field)"));
    if (!r.generateAudio())
      notes.add("Omni always makes sound; the audio track was removed (generate_audio=false)");
    if (r.seedGiven() && r.seed() > Integer.MAX_VALUE) {
      notes.add(
          "seed "
              + r.seed()
              + " was sent as "
              + (r.seed() & Integer.MAX_VALUE)
              + " (the SDK's seed field is a signed 32-bit integer)");
    }
    return notes;
  }

  private static List<String> ids(String state) {
    return Arrays.stream(state.split(",")).filter(s -> !s.isBlank()).toList();
  }

  /**
   * The interaction as the SDK sends it: both frames (first, then last), the prompt, the video
   * format, the seed.
   */
  static CreateModelInteraction interaction(String model, GenerationRequest request) {
    VideoOptions r = request.options();
    String text = r.prompt() + r.negativePrompt().map(n -> "\n\nAvoid: " + n).orElse("");
    List<Content> input =
        List.of(image(request.firstFrame()), image(request.lastFrame()), new TextContent(text));
    var format =
        new VideoResponseFormat(
            VideoResponseFormatAspectRatio.of(r.aspectRatio().wire()),
            null,
            r.durationSeconds() + "s",
            null,
            Resolution.of(r.resolution().wire()));
    return new CreateModelInteraction(Model.of(model))
        .withInput(InteractionsInput.ofContent(input))
        .withBackground(true)
        .withResponseFormat(CreateModelInteractionResponseFormat.of(ResponseFormat.of(format)))
        .withGenerationConfig(
            new GenerationConfig().withSeed((int) (r.seed() & Integer.MAX_VALUE)));
  }

  private static ImageContent image(InputImage in) {
    return new ImageContent(
        Base64.getEncoder().encodeToString(in.bytes()),
        ImageContentMimeType.of(in.format().mimeType()),
        null,
        null);
  }

  private String create(GenerationJob job) throws GenerationException {
    var body = CreateInteractionRequestBody.of(interaction(config.model(), job.request()));
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
                    "Gemini interaction " + id + " failed: " + errors(now));
            default ->
                throw GenerationException.permanent(
                    "Gemini interaction " + id + " ended " + status + ": " + errors(now));
          };
        });
  }

  private static String errors(Interaction i) {
    var all =
        i.errors().orElse(List.of()).stream()
            .map(
                e ->
                    e.message().orElse("no message") + e.code().map(c -> " (" + c + ")").orElse(""))
            .toList();
    return all.isEmpty() ? "no message" : String.join("; ", all);
  }

  /** A completed interaction without a video: Omni's safety refusal, in its own words. */
  private static String refusal(String id, Interaction i) {
    String text = i.outputText().filter(t -> !t.isBlank()).orElse("");
    return text.isEmpty()
        ? "Gemini interaction " + id + " completed without a video and without a reason"
        : "Gemini Omni declined: " + text.strip();
  }

  private void store(GenerationJob job, VideoContent video, Path target)
      throws GenerationException {
    try {
      if (video.data().isPresent()) {
        Files.write(target, Base64.getDecoder().decode(video.data().get()));
      } else {
        download(URI.create(video.uri().get()), target);
      }
      if (!job.request().options().generateAudio()) audio.strip(target);
      verifier.verify(target);
    } catch (IOException | IllegalArgumentException e) {
      throw GenerationException.transientFailure(
          "storing a Gemini Omni sample failed: " + e.getMessage(), e);
    }
  }

  /**
   * Streams the sample to disk; only from Google's hosts or the configured endpoint, with the key.
   */
  private void download(URI uri, Path target) throws IOException {
    String host = uri.getHost() == null ? "" : uri.getHost();
    boolean trusted =
        host.endsWith(".googleapis.com")
            || host.endsWith(".googleusercontent.com")
            || config.baseUrl().map(b -> host.equals(b.getHost())).orElse(false);
    if (!trusted) throw new IOException("refusing to download a sample from " + host);
    var req =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofMinutes(5))
            .header("x-goog-api-key", config.apiKey())
            .GET();
    Path tmp = target.resolveSibling(target.getFileName() + ".download");
    try {
      HttpResponse<Path> r = downloads.send(req.build(), HttpResponse.BodyHandlers.ofFile(tmp));
      calls.call("download", r.statusCode() == 200 ? "ok" : Integer.toString(r.statusCode()));
      if (r.statusCode() != 200)
        throw new IOException("HTTP " + r.statusCode() + " for the sample download");
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("download interrupted");
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private GenerationException failure(String what, ApiException e) {
    boolean badKey =
        e.code() == 401
            || e.code() == 403
            || e.code() == 400 && String.valueOf(e.message()).contains("API key");
    String reason =
        badKey
            ? "Google rejected the Gemini API key ("
                + e.code()
                + "): "
                + e.message()
                + " — check --omni-api-key"
            : switch (e.code()) {
              case 400 -> "Gemini Omni rejected the request (400): " + e.message();
              case 404 ->
                  "Gemini model or interaction not found (404): "
                      + e.message()
                      + " — check --omni-model";
              default -> what + " failed (" + e.code() + "): " + e.message();
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
