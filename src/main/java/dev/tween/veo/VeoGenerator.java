package dev.tween.veo;

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
import java.io.IOException;
import java.io.InputStream;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Google Veo 3.1 Lite through the official SDK, as a crash-safe, charge-safe generator: one submit
 * per task whose operation name is stored before polling, so a re-run resumes polling instead of
 * paying again; samples are downloaded into tween's storage and verified before success.
 */
public final class VeoGenerator implements Generator, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VeoGenerator.class);

  private final VeoConfig config;
  private final Clock clock;
  private final SampleVerifier verifier;
  private final Client client;
  private final HttpClient downloads = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final Semaphore permits;

  /** Told about each upstream call: (submit|poll|download, ok|HTTP code|error). */
  public interface CallObserver {
    void call(String call, String outcome);
  }

  private final CallObserver calls;

  public VeoGenerator(VeoConfig config, Clock clock, SampleVerifier verifier) {
    this(config, clock, verifier, (c, o) -> { });
  }

  public VeoGenerator(VeoConfig config, Clock clock, SampleVerifier verifier, CallObserver calls) {
    this.calls = calls;
    this.config = config;
    this.clock = clock;
    this.verifier = verifier;
    this.permits = new Semaphore(config.concurrency(), true);
    this.client = client(config);
  }

  private static Client client(VeoConfig c) {
    var http = HttpOptions.builder()
        .timeout((int) Duration.ofSeconds(60).toMillis())
        // Retries are ours: each one is visible, counted and bounded per task.
        .retryOptions(HttpRetryOptions.builder().attempts(1).build());
    c.baseUrl().ifPresent(u -> http.baseUrl(u.toString()));
    var b = Client.builder().httpOptions(http.build());
    if (c.backend() == VeoConfig.Backend.GEMINI) {
      if (c.apiKey().isBlank()) throw new IllegalArgumentException("the Gemini backend needs --veo-api-key / TWEEN_VEO_API_KEY");
      b.apiKey(c.apiKey());
    } else {
      b.vertexAI(true).project(c.project()).location(c.location());
      if (!c.apiKey().isBlank()) b.apiKey(c.apiKey());
      c.credentials().ifPresent(p -> b.credentials(credentials(p)));
    }
    return b.build();
  }

  private static GoogleCredentials credentials(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return GoogleCredentials.fromStream(in).createScoped("https://www.googleapis.com/auth/cloud-platform");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read Vertex credentials " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return "veo";
  }

  @Override
  public void checkSupported(GenerationRequest request) throws UnsupportedRequestException {
    VeoRequests.checkSupported(config.backend(), request.options());
  }

  @Override
  public GenerationResult generate(GenerationJob job) throws GenerationException {
    acquire(job);
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

  /** Waits for a slot towards Google, staying cancelable. */
  private void acquire(GenerationJob job) throws GenerationException {
    try {
      while (!permits.tryAcquire(200, TimeUnit.MILLISECONDS)) {
        if (job.canceled()) throw GenerationException.canceled();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw GenerationException.canceled();
    }
  }

  /**
   * Starts the operation. A 429/5xx answer means nothing was started, so it is retried with backoff;
   * a request that timed out or broke after being sent may have started an operation we cannot
   * name, so it is NOT retried (that could charge twice) and the task fails saying so.
   */
  private String submit(GenerationJob job) throws GenerationException {
    GenerationRequest r = job.request();
    for (int attempt = 1; ; attempt++) {
      try {
        GenerateVideosOperation op = client.models.generateVideos(config.model(), VeoRequests.source(r),
            VeoRequests.config(config.backend(), r));
        String name = op.name().orElseThrow(() -> GenerationException.permanent("Veo accepted the request but returned no operation name"));
        calls.call("submit", "ok");
        log.info("event=veo_submitted task={} operation={} attempt={}", job.taskId(), name, attempt);
        return name;
      } catch (ApiException e) {
        calls.call("submit", Integer.toString(e.code()));
        if (retryable(e.code()) && attempt < config.retries()) {
          sleep(job, backoff(attempt));
          continue;
        }
        throw failure("submitting to Veo", e);
      } catch (RuntimeException e) {
        if (e.getCause() instanceof InterruptedIOException || e.getCause() instanceof IOException) {
          throw GenerationException.permanent("Veo did not answer the submit (" + e.getCause().getMessage()
              + "); it may have started anyway, so tween does not resubmit to avoid a double charge. Submit again if needed.", e);
        }
        throw e;
      }
    }
  }

  private GenerateVideosResponse poll(GenerationJob job, String operation, Instant started) throws GenerationException {
    Duration wait = config.pollInterval();
    int failures = 0;
    GenerateVideosOperation op = GenerateVideosOperation.builder().name(operation).build();
    while (true) {
      if (job.canceled()) throw GenerationException.canceled();
      Duration elapsed = Duration.between(started, clock.instant());
      if (elapsed.compareTo(config.timeout()) > 0) {
        throw GenerationException.permanent("Veo operation " + operation + " did not finish within " + config.timeout().toMinutes() + " min");
      }
      job.progress(Math.min(0.9, 0.9 * elapsed.toMillis() / Math.max(1, config.typical().toMillis())));
      try {
        GenerateVideosOperation now = client.operations.getVideosOperation(op, GetOperationConfig.builder().build());
        calls.call("poll", "ok");
        failures = 0;
        if (now.done().orElse(false)) {
          if (now.error().isPresent()) throw operationError(operation, now.error().get());
          return now.response().orElseThrow(() -> GenerationException.permanent(
              "Veo reported operation " + operation + " done with neither videos nor an error"));
        }
      } catch (ApiException e) {
        calls.call("poll", Integer.toString(e.code()));
        if (!retryable(e.code()) || ++failures >= config.retries()) throw failure("polling Veo", e);
      } catch (RuntimeException e) {
        if (!(e.getCause() instanceof IOException) || ++failures >= config.retries()) {
          throw GenerationException.transientFailure("polling Veo failed: " + e.getMessage(), e);
        }
      }
      sleep(job, wait);
      wait = min(Duration.ofMillis((long) (wait.toMillis() * 1.5)), config.maxPollInterval());
    }
  }

  private GenerationResult collect(GenerationJob job, GenerateVideosResponse response) throws GenerationException {
    List<GeneratedVideo> videos = response.generatedVideos().orElse(List.of());
    int filtered = response.raiMediaFilteredCount().orElse(0);
    String reasons = String.join("; ", response.raiMediaFilteredReasons().orElse(List.of()));
    if (videos.isEmpty()) {
      throw GenerationException.permanent(filtered > 0
          ? "Veo's safety filters removed every sample (" + filtered + "): " + (reasons.isEmpty() ? "no reason given" : reasons)
          : "Veo finished without returning any video and without a reason");
    }
    int asked = job.request().options().sampleCount();
    int n = Math.min(videos.size(), asked);
    for (int i = 0; i < n; i++) {
      if (job.canceled()) throw GenerationException.canceled();
      store(job, videos.get(i), job.sampleFile(i));
      job.progress(0.9 + 0.1 * (i + 1) / n);
    }
    List<String> notes = new ArrayList<>(VeoRequests.notes(config.backend(), job.request().options()));
    if (n < asked) {
      notes.add(0, (asked - n) + " of " + asked + " samples were removed by Veo's safety filters"
          + (reasons.isEmpty() ? "" : ": " + reasons));
    }
    return new GenerationResult(n, String.join("; ", notes));
  }

  private void store(GenerationJob job, GeneratedVideo generated, Path target) throws GenerationException {
    var video = generated.video().orElseThrow(() -> GenerationException.permanent("Veo returned a sample without a video"));
    try {
      if (video.videoBytes().isPresent()) {
        Files.write(target, video.videoBytes().get());
      } else {
        download(URI.create(video.uri().orElseThrow(() -> GenerationException.permanent("Veo returned a sample without bytes or a URI"))),
            target);
      }
      verifier.verify(target);
    } catch (IOException e) {
      throw GenerationException.transientFailure("downloading a Veo sample failed: " + e.getMessage(), e);
    }
  }

  /** Streams the sample to disk; only from Google's hosts or the configured endpoint, with the key. */
  private void download(URI uri, Path target) throws IOException {
    String host = uri.getHost() == null ? "" : uri.getHost();
    boolean trusted = host.endsWith(".googleapis.com") || host.endsWith(".googleusercontent.com")
        || config.baseUrl().map(b -> host.equals(b.getHost())).orElse(false);
    if (!trusted) throw new IOException("refusing to download a sample from " + host);
    var req = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET();
    if (!config.apiKey().isBlank()) req.header("x-goog-api-key", config.apiKey());
    Path tmp = target.resolveSibling(target.getFileName() + ".download");
    try {
      HttpResponse<Path> r = downloads.send(req.build(), HttpResponse.BodyHandlers.ofFile(tmp));
      calls.call("download", r.statusCode() == 200 ? "ok" : Integer.toString(r.statusCode()));
      if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode() + " for the sample download");
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("download interrupted");
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static GenerationException operationError(String operation, Map<String, Object> error) {
    return GenerationException.permanent("Veo operation " + operation + " failed: "
        + error.getOrDefault("message", "no message") + " (code " + error.getOrDefault("code", "?") + ")");
  }

  private GenerationException failure(String what, ApiException e) {
    // Google answers a bad Gemini key with 400 INVALID_ARGUMENT "API key not valid", not 401.
    boolean badKey = e.code() == 401 || e.code() == 403
        || e.code() == 400 && String.valueOf(e.message()).contains("API key");
    String reason = switch (badKey ? 401 : e.code()) {
      case 401 -> "the " + (config.backend() == VeoConfig.Backend.GEMINI ? "Gemini API key" : "Vertex AI credentials")
          + " were rejected by Google (" + e.code() + " " + e.status() + "): " + e.message();
      case 400 -> "Veo rejected the request (400): " + e.message();
      case 404 -> "Veo model or operation not found (404): " + e.message() + " — check --veo-model";
      default -> what + " failed (" + e.code() + " " + e.status() + "): " + e.message();
    };
    return retryable(e.code()) ? GenerationException.transientFailure(reason, e) : GenerationException.permanent(reason, e);
  }

  private static boolean retryable(int code) {
    return code == 429 || code == 408 || code >= 500;
  }

  private Duration backoff(int attempt) {
    return min(config.pollInterval().multipliedBy(1L << Math.min(attempt, 10)), config.maxPollInterval());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void sleep(GenerationJob job, Duration d) throws GenerationException {
    long end = System.nanoTime() + d.toNanos();
    try {
      while (System.nanoTime() < end) {
        if (job.canceled()) throw GenerationException.canceled();
        Thread.sleep(Math.max(1, Math.min(200, (end - System.nanoTime()) / 1_000_000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw GenerationException.canceled();
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
