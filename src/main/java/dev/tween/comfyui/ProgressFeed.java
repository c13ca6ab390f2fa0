package dev.tween.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sampling progress from ComfyUI's WebSocket ({@code GET /ws?clientId=…}). ComfyUI sends {@code
 * {"type": "progress", "data": {"value", "max", "prompt_id", "node"}}} to the client that queued
 * the prompt, so only prompts this process queued (with its {@code client_id}) report progress;
 * others, e.g. ones resumed after a restart, are estimated by the gateway. The socket is opened
 * when needed and reopened after a failure with backoff; it is a hint only, never the truth about a
 * prompt's state, which comes from {@code /queue} and {@code /history}.
 */
final class ProgressFeed extends WebSocketListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProgressFeed.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofMinutes(1);
  private static final int TRACKED = 512;

  private final OkHttpClient http;
  private final Request request;
  private final Clock clock;
  private final String deployment;
  private final Map<String, Prompt> prompts =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Prompt> eldest) {
          return size() > TRACKED;
        }
      };
  private WebSocket socket;
  private boolean closed;
  private Instant nextAttempt = Instant.MIN;
  private Duration retry = FIRST_RETRY;

  ProgressFeed(OkHttpClient http, HttpUrl base, String clientId, Clock clock, String deployment) {
    this.http = http;
    this.request =
        new Request.Builder()
            .url(
                base.newBuilder()
                    .addPathSegment("ws")
                    .addQueryParameter("clientId", clientId)
                    .build())
            .build();
    this.clock = clock;
    this.deployment = deployment;
  }

  /** Opens the socket unless it is open or a retry is not yet due. */
  synchronized void ensureOpen() {
    if (closed || socket != null || clock.instant().isBefore(nextAttempt)) return;
    socket = http.newWebSocket(request, this);
  }

  /** A prompt about to be queued, with the number of nodes that report progress in its workflow. */
  synchronized void expect(String promptId, int progressNodes) {
    prompts.put(promptId, new Prompt(progressNodes));
  }

  /** Progress of a prompt in [0,1], never going down; empty if the socket said nothing of it. */
  synchronized OptionalDouble fraction(String promptId) {
    Prompt p = prompts.get(promptId);
    return p == null || p.best < 0 ? OptionalDouble.empty() : OptionalDouble.of(p.best);
  }

  synchronized void forget(String promptId) {
    prompts.remove(promptId);
  }

  @Override
  public void onOpen(WebSocket ws, Response response) {
    synchronized (this) {
      retry = FIRST_RETRY;
    }
    log.info("event=comfyui_socket_open deployment={}", deployment);
  }

  @Override
  public void onMessage(WebSocket ws, String text) {
    JsonNode m;
    try {
      m = Workflow.JSON.readTree(text);
    } catch (IOException e) {
      return;
    }
    if (m == null || !"progress".equals(m.path("type").asText())) return;
    JsonNode d = m.path("data");
    double max = d.path("max").asDouble();
    if (max <= 0) return;
    synchronized (this) {
      Prompt p = prompts.get(d.path("prompt_id").asText());
      if (p != null) p.step(d.path("node").asText(), d.path("value").asDouble() / max);
    }
  }

  @Override
  public void onClosing(WebSocket ws, int code, String reason) {
    ws.close(1000, null);
    lost(ws, "closed by the server (" + code + ")");
  }

  @Override
  public void onFailure(WebSocket ws, Throwable t, Response response) {
    lost(ws, String.valueOf(t));
  }

  private synchronized void lost(WebSocket ws, String why) {
    if (socket != ws) return;
    socket = null;
    nextAttempt = clock.instant().plus(retry);
    if (!closed)
      log.info(
          "event=comfyui_socket_lost deployment={} retry_ms={} cause=\"{}\"",
          deployment,
          retry.toMillis(),
          why.replace('"', '\''));
    retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (socket != null) socket.cancel();
    socket = null;
  }

  /** Progress of one prompt: the fraction of each node that reported, over the nodes expected. */
  private static final class Prompt {
    private final int nodes;
    private final Map<String, Double> done = new HashMap<>();
    private double best = -1;

    Prompt(int nodes) {
      this.nodes = Math.max(1, nodes);
    }

    void step(String node, double fraction) {
      done.merge(node, Math.min(1, Math.max(0, fraction)), Math::max);
      double sum = done.values().stream().mapToDouble(Double::doubleValue).sum();
      best = Math.max(best, Math.min(1, sum / Math.max(nodes, done.size())));
    }
  }
}
