package dev.tween.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./tween keys create|list|revoke} (admin routes) and {@code ./tween usage}. */
final class KeysCommands {
  private KeysCommands() {}

  /** The server ({@code --server} as for every client command) and the admin key. */
  static final class AdminOptions {
    @Mixin ClientOptions target;

    @Option(
        names = "--admin-key",
        description = "The server's admin key (default: $TWEEN_ADMIN_KEY).")
    String adminKey;

    TweenClient client() {
      return admin(target, adminKey);
    }

    static TweenClient admin(ClientOptions target, String adminKey) {
      String k = adminKey != null ? adminKey : System.getenv("TWEEN_ADMIN_KEY");
      if (k == null || k.isBlank())
        throw CliException.usage("no admin key: pass --admin-key or set $TWEEN_ADMIN_KEY");
      return target.client(k, "--admin-key, $TWEEN_ADMIN_KEY");
    }
  }

  @Command(
      name = "keys",
      description = "Create, list, update and revoke API keys with budgets (needs the admin key).",
      subcommands = {Create.class, ListKeys.class, Update.class, Revoke.class})
  static final class Keys implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }
  }

  @Command(name = "create", description = "Create a key; its secret is printed this once.")
  static final class Create implements Callable<Integer> {
    @Mixin AdminOptions admin;

    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--budget", description = "Amount in the price table's currency (e.g. 25.0).")
    Double budget;

    @Option(
        names = "--period",
        defaultValue = "month",
        description = "day, month or total (default month).")
    String period;

    @Option(names = "--rate-limit", description = "Submits per minute for this key.")
    Integer rateLimit;

    @Override
    public Integer call() throws Exception {
      var body = TweenClient.newBody();
      body.put("name", name);
      if (budget != null) body.putObject("budget").put("amount", budget).put("period", period);
      if (rateLimit != null) body.put("rate_limit_per_minute", rateLimit);
      JsonNode k = admin.client().call("POST", "/v1/admin/keys", body);
      System.out.println("id   " + k.get("id").asText());
      System.out.println("key  " + k.get("key").asText());
      System.err.println("The key is shown only this once; tween keeps only its hash.");
      return 0;
    }
  }

  @Command(name = "list", description = "List keys with their spend in the current budget period.")
  static final class ListKeys implements Callable<Integer> {
    @Mixin AdminOptions admin;

    @Override
    public Integer call() throws Exception {
      JsonNode keys = admin.client().call("GET", "/v1/admin/keys", null).get("keys");
      List<List<String>> rows = new ArrayList<>();
      rows.add(HEADER);
      for (JsonNode k : keys) rows.add(row(k));
      print(rows);
      return 0;
    }
  }

  private static final List<String> HEADER =
      List.of("ID", "NAME", "BUDGET", "SPENT", "RESERVED", "REMAINING", "RATE/MIN", "STATUS");

  private static List<String> row(JsonNode k) {
    JsonNode b = k.get("budget");
    String cur = " " + k.path("currency").asText();
    JsonNode rate = k.get("rate_limit_per_minute");
    return List.of(
        k.get("id").asText(),
        k.get("name").asText(),
        b == null || b.isNull()
            ? "-"
            : b.get("amount").asText() + cur + "/" + b.get("period").asText(),
        k.get("spend").asText() + cur,
        k.get("reserved").asText() + cur,
        k.get("remaining").isNull() ? "-" : k.get("remaining").asText() + cur,
        rate == null || rate.isNull() ? "default" : rate.asText(),
        k.get("revoked_at").isNull() ? "active" : "revoked");
  }

  @Command(
      name = "update",
      description = {
        "Change a key's budget or rate limit; every node applies it within a second.",
        "A budget below what is already spent is allowed: running tasks finish, new submits get"
            + " 402."
      })
  static final class Update implements Callable<Integer> {
    @Mixin AdminOptions admin;

    @Parameters(paramLabel = "KEY_ID", description = "The key's id (see `./tween keys list`).")
    String id;

    @Option(names = "--budget", description = "New amount in the price table's currency.")
    Double budget;

    @Option(
        names = "--period",
        description = "day, month or total, with --budget (default: the key's current period).")
    String period;

    @Option(names = "--no-budget", description = "Remove the budget: the key spends freely.")
    boolean noBudget;

    @Option(names = "--rate-limit", description = "Submits per minute for this key.")
    Integer rateLimit;

    @Option(names = "--default-rate-limit", description = "Use the node's rate limit again.")
    boolean defaultRate;

    @Override
    public Integer call() throws Exception {
      if (budget != null && noBudget) throw CliException.usage("--budget and --no-budget clash");
      if (rateLimit != null && defaultRate)
        throw CliException.usage("--rate-limit and --default-rate-limit clash");
      if (period != null && budget == null) throw CliException.usage("--period needs --budget");
      var body = TweenClient.newBody();
      if (budget != null) {
        var b = body.putObject("budget").put("amount", budget);
        if (period != null) b.put("period", period);
      }
      if (noBudget) body.putNull("budget");
      if (rateLimit != null) body.put("rate_limit_per_minute", rateLimit);
      if (defaultRate) body.putNull("rate_limit_per_minute");
      if (body.isEmpty())
        throw CliException.usage(
            "nothing to change: give --budget, --no-budget, --rate-limit or --default-rate-limit");
      JsonNode k =
          admin
              .client()
              .call(
                  "PATCH", "/v1/admin/keys/" + URLEncoder.encode(id, StandardCharsets.UTF_8), body);
      print(List.of(HEADER, row(k)));
      return 0;
    }
  }

  @Command(name = "revoke", description = "Revoke a key: every node refuses it within a second.")
  static final class Revoke implements Callable<Integer> {
    @Mixin AdminOptions admin;

    @Parameters(paramLabel = "KEY_ID", description = "The key's id (see `./tween keys list`).")
    String id;

    @Override
    public Integer call() throws Exception {
      JsonNode k =
          admin
              .client()
              .call(
                  "DELETE",
                  "/v1/admin/keys/" + URLEncoder.encode(id, StandardCharsets.UTF_8),
                  null);
      System.out.println("revoked " + k.get("id").asText() + " (" + k.get("name").asText() + ")");
      return 0;
    }
  }

  @Command(
      name = "usage",
      description = "Usage by day, model or key: your key's own, or every key's with --admin-key.")
  static final class Usage implements Callable<Integer> {
    @Mixin ClientOptions target;

    @Option(names = "--admin-key", description = "Show every key's usage.")
    String adminKey;

    @Option(
        names = "--from",
        description = "A date (2026-11-01) or an instant; default: start of this month.")
    String from;

    @Option(names = "--to", description = "A date (inclusive) or an instant; default: today.")
    String to;

    @Option(
        names = "--group-by",
        defaultValue = "day",
        description = "day, model or key (default day).")
    String groupBy;

    @Override
    public Integer call() throws Exception {
      TweenClient client =
          adminKey != null ? AdminOptions.admin(target, adminKey) : target.client();
      var params = new java.util.LinkedHashMap<String, String>();
      params.put("group_by", groupBy);
      params.put("from", from);
      params.put("to", to);
      String query =
          params.entrySet().stream()
              .filter(e -> e.getValue() != null)
              .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
              .collect(java.util.stream.Collectors.joining("&", "/v1/usage?", ""));
      JsonNode u = client.call("GET", query, null);
      List<List<String>> rows = new ArrayList<>();
      rows.add(
          List.of(groupBy.toUpperCase(java.util.Locale.ROOT), "TASKS", "VIDEO_SECONDS", "COST"));
      for (JsonNode r : u.get("rows")) {
        rows.add(
            List.of(
                r.get(groupBy).asText(),
                r.get("tasks").asText(),
                r.get("video_seconds").asText(),
                r.get("cost").asText() + " " + r.get("currency").asText()));
      }
      print(rows);
      JsonNode k = u.get("key");
      if (k != null && k.hasNonNull("remaining")) {
        System.out.println(
            "budget "
                + k.at("/budget/amount").asText()
                + " "
                + k.get("currency").asText()
                + " per "
                + k.at("/budget/period").asText()
                + ", "
                + k.get("remaining").asText()
                + " "
                + k.get("currency").asText()
                + " left");
      }
      return 0;
    }
  }

  private static void print(List<List<String>> rows) {
    int[] w = new int[rows.getFirst().size()];
    for (List<String> r : rows)
      for (int i = 0; i < r.size(); i++) w[i] = Math.max(w[i], r.get(i).length());
    for (List<String> r : rows) {
      var line = new StringBuilder();
      for (int i = 0; i < r.size(); i++)
        line.append(String.format("%-" + (w[i] + 2) + "s", r.get(i)));
      System.out.println(line.toString().stripTrailing());
    }
  }
}
