package dev.tween.comfyui;

import static dev.tween.comfyui.FakeComfyUi.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tween.testing.FFmpeg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One prompt run by the fake, with the messages and the history entry ComfyUI makes ({@code
 * PromptExecutor.execute_async}, {@code PromptQueue.task_done}): {@code execution_start}, {@code
 * executing} and {@code progress} per sampler step, then {@code execution_success}, {@code
 * execution_error} or {@code execution_interrupted}.
 */
final class FakeRun {
  private final FakeComfyUi fake;
  private final FakeComfyUi.Item item;
  private final FakeGraph g;
  private final String client;
  private final ArrayNode messages = JSON.createArrayNode();

  FakeRun(FakeComfyUi fake, FakeComfyUi.Item item) {
    this.fake = fake;
    this.item = item;
    this.g = new FakeGraph(item.prompt());
    this.client = item.extra().path("client_id").asText(null);
  }

  ObjectNode run() throws IOException, InterruptedException {
    int interruptsAtStart = fake.interrupts();
    message("execution_start", data());
    ObjectNode cached = data();
    cached.putArray("nodes");
    message("execution_cached", cached);
    String[] failure = fake.takeExecutionError();
    List<String> samplers = new ArrayList<>(g.ids("KSamplerAdvanced"));
    samplers.addAll(g.ids("KSampler"));
    int done = 0;
    for (String node : samplers) {
      fake.send(client, "executing", data().put("node", node).put("display_node", node));
      int steps = steps(node);
      for (int i = 1; i <= steps; i++) {
        if (failure != null && failure[0].equals(node)) return failed(failure);
        Thread.sleep(fake.stepMillis); // the GPU at work
        ObjectNode p = JSON.createObjectNode().put("value", i).put("max", steps);
        p.put("prompt_id", item.id()).put("node", node);
        fake.send(client, "progress", p);
        if (fake.step(item, interruptsAtStart, ++done)) return interrupted(node);
      }
    }
    if (failure != null) return failed(failure);
    ObjectNode outputs = render();
    message("execution_success", data());
    return entry("success", true, outputs);
  }

  /** Steps a sampler reports: KSamplerAdvanced samples only [start_at_step, end_at_step). */
  private int steps(String node) {
    long steps = g.integer(node, "steps");
    if (!g.classOf(node).equals("KSamplerAdvanced")) return (int) steps;
    long end = Math.min(steps, g.integer(node, "end_at_step"));
    return (int) Math.max(0, end - g.integer(node, "start_at_step"));
  }

  private ObjectNode render() throws IOException, InterruptedException {
    String wan = g.first("WanFirstLastFrameToVideo").orElseThrow();
    int w = (int) g.integer(wan, "width");
    int h = (int) g.integer(wan, "height");
    int frames = (int) g.integer(wan, "length");
    String save = g.first("SaveVideo").or(() -> g.first("VHS_VideoCombine")).orElseThrow();
    boolean vhs = g.classOf(save).equals("VHS_VideoCombine");
    double fps =
        vhs ? g.number(save, "frame_rate") : g.number(g.first("CreateVideo").orElseThrow(), "fps");
    String prefix = g.input(save, "filename_prefix").asText("ComfyUI");
    String sub = prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/')) : "";
    String stem = prefix.substring(prefix.lastIndexOf('/') + 1);
    boolean webm = fake.format == FakeComfyUi.Output.WEBM;
    String name =
        String.format(Locale.ROOT, "%s_%05d_.%s", stem, fake.nextCounter(), webm ? "webm" : "mp4");
    Path dir = Files.createDirectories(fake.output.resolve(sub));
    ffmpeg(
        loadImage(wan, "start_image"),
        loadImage(wan, "end_image"),
        w,
        h,
        frames,
        fps,
        webm,
        dir.resolve(name));
    ObjectNode file = JSON.createObjectNode().put("filename", name).put("subfolder", sub);
    file.put("type", "output");
    ObjectNode outputs = JSON.createObjectNode();
    ObjectNode out = outputs.putObject(save);
    if (vhs) {
      file.put("format", webm ? "video/webm" : "video/h264-mp4").put("frame_rate", fps);
      out.putArray("gifs").add(file);
    } else {
      out.putArray("images").add(file);
      out.putArray("animated").add(true);
    }
    return outputs;
  }

  private Path loadImage(String wan, String input) {
    return fake.input.resolve(g.input(g.source(wan, input).orElseThrow(), "image").asText());
  }

  /** A fade from the start image to the end image, each fitted like WanFirstLastFrameToVideo. */
  private static void ffmpeg(
      Path first, Path last, int w, int h, int frames, double fps, boolean webm, Path out)
      throws IOException, InterruptedException {
    String fit =
        "scale=%d:%d:force_original_aspect_ratio=increase,crop=%d:%d,setsar=1,format=yuv420p"
            .formatted(w, h, w, h);
    String graph =
        "[0:v]%s[a];[1:v]%s[b];[a][b]blend=all_expr='A+(B-A)*min(1,N/%d)'[v]"
            .formatted(fit, fit, Math.max(1, frames - 1));
    String rate = String.format(Locale.ROOT, "%.3f", fps);
    List<String> args =
        new ArrayList<>(
            List.of(
                "-loop",
                "1",
                "-framerate",
                rate,
                "-i",
                first.toString(),
                "-loop",
                "1",
                "-framerate",
                rate,
                "-i",
                last.toString(),
                "-filter_complex",
                graph,
                "-map",
                "[v]",
                "-frames:v",
                Integer.toString(frames),
                "-r",
                rate));
    args.addAll(
        webm
            ? List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M")
            : List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));
    args.add(out.toString());
    FFmpeg.run(args);
  }

  private ObjectNode failed(String[] failure) {
    ObjectNode e = data().put("node_id", failure[0]).put("node_type", g.classOf(failure[0]));
    e.putArray("executed");
    e.put("exception_message", failure[2]).put("exception_type", failure[1]);
    e.putArray("traceback").add("  File \"execution.py\", line 496, in execute\n");
    e.putObject("current_inputs");
    e.putArray("current_outputs");
    fake.send(client, "execution_error", e);
    message("execution_error", e);
    return entry("error", false, JSON.createObjectNode());
  }

  private ObjectNode interrupted(String node) {
    ObjectNode e = data().put("node_id", node).put("node_type", g.classOf(node));
    e.putArray("executed");
    fake.send(null, "execution_interrupted", e);
    message("execution_interrupted", e);
    return entry("error", false, JSON.createObjectNode());
  }

  /** What a run that broke before it could do anything leaves in the history. */
  static ObjectNode historyError(
      FakeComfyUi.Item item, String node, String cls, String type, String msg) {
    FakeRun r = new FakeRun(null, item);
    ObjectNode e = r.data().put("node_id", node).put("node_type", cls);
    e.put("exception_message", msg).put("exception_type", type);
    r.messages.addArray().add("execution_error").add(e);
    return r.entry("error", false, JSON.createObjectNode());
  }

  private ObjectNode data() {
    return JSON.createObjectNode()
        .put("prompt_id", item.id())
        .put("timestamp", System.currentTimeMillis());
  }

  private void message(String event, ObjectNode data) {
    messages.addArray().add(event).add(data);
    if (fake != null && !event.equals("execution_error")) fake.send(client, event, data);
  }

  private ObjectNode entry(String status, boolean completed, ObjectNode outputs) {
    ObjectNode h = JSON.createObjectNode();
    ArrayNode prompt = h.putArray("prompt").add(item.number()).add(item.id()).add(item.prompt());
    prompt.add(item.extra());
    item.outputs().forEach(prompt.addArray()::add);
    h.set("outputs", outputs);
    ObjectNode s = h.putObject("status").put("status_str", status).put("completed", completed);
    s.set("messages", messages);
    ObjectNode meta = h.putObject("meta");
    outputs.properties().forEach(o -> meta.putObject(o.getKey()).put("node_id", o.getKey()));
    return h;
  }
}
