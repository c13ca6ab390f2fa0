package dev.tween.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./tween submit|status|wait|download|models}: the API from a terminal. */
final class ClientCommands {
  private ClientCommands() {}

  @Command(
      name = "submit",
      description = "Submit two keyframes to a tween server; --wait shows progress and downloads.")
  static final class Submit implements Callable<Integer> {
    @Mixin ClientOptions server;

    @Option(
        names = "--first",
        required = true,
        description = "First keyframe (file, or an http(s) URL).")
    String first;

    @Option(
        names = "--last",
        required = true,
        description = "Last keyframe (file, or an http(s) URL).")
    String last;

    @Option(names = "--prompt", required = true)
    String prompt;

    @Option(names = "--negative-prompt")
    String negative;

    @Option(names = "--duration", description = "4, 6 or 8 (server default 8).")
    Integer duration;

    @Option(names = "--resolution", description = "720p or 1080p.")
    String resolution;

    @Option(names = "--aspect-ratio", description = "16:9 or 9:16.")
    String aspectRatio;

    @Option(names = "--samples", description = "1 … 4.")
    Integer samples;

    @Option(names = "--seed", description = "0 … 4294967295.")
    Long seed;

    @Option(names = "--audio", description = "generate_audio = true.")
    boolean audio;

    @Option(names = "--no-enhance-prompt", description = "enhance_prompt = false.")
    boolean noEnhance;

    @Option(names = "--person-generation", description = "allow_adult or dont_allow.")
    String person;

    @Option(names = "--webhook", description = "URL to notify when the task ends.")
    String webhook;

    @Option(
        names = "--model",
        description =
            "local, veo or omni: the model whose route takes the submit "
                + "(see `./tween models`; default: the server's first).")
    String model;

    @Option(names = "--wait", description = "Wait with a progress bar, then download.")
    boolean waitForIt;

    @Option(
        names = "--out",
        defaultValue = ".",
        description = "Directory for downloads (default: current).")
    Path out;

    @Override
    public Integer call() throws Exception {
      var body = TweenClient.newBody();
      body.put("image", image(first));
      body.put("last_frame_image", image(last));
      body.put("prompt", prompt);
      if (negative != null) body.put("negative_prompt", negative);
      if (duration != null) body.put("duration", duration);
      if (resolution != null) body.put("resolution", resolution);
      if (aspectRatio != null) body.put("aspect_ratio", aspectRatio);
      if (samples != null) body.put("sample_count", samples);
      if (seed != null) body.put("seed", seed);
      if (audio) body.put("generate_audio", true);
      if (noEnhance) body.put("enhance_prompt", false);
      if (person != null) body.put("person_generation", person);
      if (webhook != null) body.putObject("extra").putObject("webhook").put("url", webhook);
      TweenClient client = server.client();
      String id = client.submit(client.route(model), body);
      System.out.println(id);
      return waitForIt ? Wait.waitAndDownload(client, id, out) : 0;
    }

    private static String image(String arg) throws java.io.IOException {
      if (arg.startsWith("http://") || arg.startsWith("https://")) return arg;
      return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(arg)));
    }
  }

  @Command(
      name = "models",
      description = "List the models a tween server serves and their submit routes.")
  static final class Models implements Callable<Integer> {
    @Mixin ClientOptions server;

    @Override
    public Integer call() throws Exception {
      for (JsonNode m : server.client().models()) {
        System.out.printf(
            "%-6s %-20s %-24s %s%n",
            m.get("generator").asText(),
            m.path("name").asText(m.get("generator").asText()),
            m.get("task_type").asText(),
            String.join(" ", m.get("routes").valueStream().map(JsonNode::asText).toList()));
      }
      return 0;
    }
  }

  @Command(name = "status", description = "Print a task's task-result JSON.")
  static final class Status implements Callable<Integer> {
    @Mixin ClientOptions server;

    @Parameters(paramLabel = "TASK_ID", description = "The id that submit printed.")
    String id;

    @Override
    public Integer call() throws Exception {
      System.out.println(server.client().status(id).toPrettyString());
      return 0;
    }
  }

  @Command(
      name = "wait",
      description = "Wait for a task with a progress bar, then download its videos.")
  static final class Wait implements Callable<Integer> {
    @Mixin ClientOptions server;

    @Parameters(paramLabel = "TASK_ID", description = "The id that submit printed.")
    String id;

    @Option(names = "--out", defaultValue = ".", description = "Directory for downloads.")
    Path out;

    @Override
    public Integer call() throws Exception {
      return waitAndDownload(server.client(), id, out);
    }

    static int waitAndDownload(TweenClient client, String id, Path out) throws Exception {
      var bar = ProgressBar.onStderr(id.substring(0, Math.min(8, id.length())));
      JsonNode done =
          client.waitFor(
              id,
              r ->
                  bar.update(
                      r.at("/task/progress_percent").asInt() / 100.0,
                      r.at("/task/status").asText().replace("TASK_STATUS_", "").toLowerCase()));
      String status = done.at("/task/status").asText();
      if (!status.equals("TASK_STATUS_SUCCEED")) {
        bar.end();
        String reason = done.at("/task/reason").asText();
        throw CliException.failed(
            "task "
                + id
                + (status.equals("TASK_STATUS_CANCELED") ? " was canceled" : " failed")
                + (reason.isBlank() ? "" : ": " + reason));
      }
      bar.done();
      return Download.all(client, done, out);
    }
  }

  @Command(name = "download", description = "Download a finished task's videos.")
  static final class Download implements Callable<Integer> {
    @Mixin ClientOptions server;

    @Parameters(paramLabel = "TASK_ID", description = "The id that submit printed.")
    String id;

    @Option(names = "--out", defaultValue = ".", description = "Directory for downloads.")
    Path out;

    @Override
    public Integer call() throws Exception {
      TweenClient client = server.client();
      return all(client, client.status(id), out);
    }

    static int all(TweenClient client, JsonNode result, Path out) throws Exception {
      Files.createDirectories(out);
      String id = result.at("/task/task_id").asText();
      JsonNode videos = result.get("videos");
      if (videos == null || videos.isEmpty()) {
        throw CliException.failed(
            "task "
                + id
                + " has no videos ("
                + result.at("/task/status").asText().replace("TASK_STATUS_", "").toLowerCase()
                + ")");
      }
      for (int i = 0; i < videos.size(); i++) {
        Path target = out.resolve(id + (videos.size() > 1 ? "-" + (i + 1) : "") + ".mp4");
        client.download(videos.get(i).get("video_url").asText(), target);
        System.out.println(target);
      }
      return 0;
    }
  }
}
