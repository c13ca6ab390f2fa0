package dev.tween.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every setting tween has, in the order the README table lists them. */
public final class Settings {
  private Settings() {}

  public static final List<Setting> ALL =
      List.of(
          new Setting("port", "8080", "HTTP port (0 picks a free one)."),
          new Setting("host", "0.0.0.0", "Address the HTTP server binds to."),
          new Setting(
              "data",
              "./data",
              "Directory for the embedded database, blobs, generated key and signing secret."),
          new Setting(
              "public-url",
              "",
              "Base URL clients reach this node at, used in `video_url`. Empty: `http://localhost:<port>`."),
          new Setting(
              "api-keys",
              "",
              "Comma-separated API keys. Empty: one key is generated on first start and kept in `<data>/api-key`."),
          new Setting(
              "role",
              "all",
              "`all` (API + workers), `api` (HTTP only) or `worker` (workers + health endpoints only)."),
          new Setting(
              "generator",
              "local",
              "Comma-separated: `local` (CPU tweening engine), `veo` (Veo 3.1 Lite on Vertex AI), `omni` (Gemini Omni Flash), `comfyui` (open models on your own GPUs, deployments only); see docs/veo.md and docs/comfyui.md. One: served on `--submit-route`. Several: each on its own route (`GET /v3/models`)."),
          new Setting(
              "workers",
              "1",
              "Local-engine tasks generated at once on this node (the engine already uses every core for one task). Upstream tasks (Veo, Omni, ComfyUI) hold no worker: their deployments' limits bound them."),
          new Setting(
              "worker-nice",
              "10",
              "Added to the node's nice value for the worker threads and the threads they start (OpenCV, x264), at most 19 (Linux): HTTP keeps its share of the cores while the engine works. 0: equal weight."),
          new Setting(
              "db-url",
              "",
              "JDBC URL. Empty: SQLite at `<data>/tween.db`. `jdbc:postgresql://…` for scale-out."),
          new Setting("db-user", "", "Database user (PostgreSQL)."),
          new Setting("db-password", "", "Database password (PostgreSQL)."),
          new Setting("db-pool-size", "8", "Maximum JDBC connections of this node."),
          new Setting(
              "db-socket-timeout-seconds",
              "5",
              "PostgreSQL: a statement without an answer for this long counts as the database being unreachable (503 + Retry-After until it is back). Bounds the wait of requests in flight when the database host vanishes without closing connections; raise it if you run slower queries (migrations are exempt)."),
          new Setting(
              "storage-url",
              "",
              "Blob storage. Empty: files under `<data>/blobs`. `s3://bucket/prefix` for scale-out."),
          new Setting("video-url-ttl", "3600", "Lifetime in seconds of a signed `video_url`."),
          new Setting(
              "retention",
              "7d",
              "How long a finished task's videos, poster and stored input images are kept (`30d`, `12h`, `20s`); then they are deleted from `<data>/blobs` or the bucket, and task-result shows `videos: []` and `extra.expired_at`. The task row, usage and spend stay. See \"Retention and a full disk\"."),
          new Setting(
              "min-free-bytes",
              "536870912",
              "Free space under `--data` below which the node takes no new work (submit → 507 `INSUFFICIENT_STORAGE`, `/readyz` 503, no new claims), so the database and the running tasks keep room to finish. 0: only a full disk stops it."),
          new Setting(
              "submit-route", "/v3/async/veo-3.1-lite-flf2v", "Path of the submit endpoint."),
          new Setting(
              "submit-aliases", "", "Comma-separated extra paths that also accept submits."),
          new Setting(
              "max-body-bytes",
              "62914560",
              "Largest accepted request body (60 MiB: two 20 MB images in base64 plus JSON); larger → 413."),
          new Setting(
              "lease-seconds",
              "60",
              "How long a worker owns a task without a heartbeat before another may take it."),
          new Setting("heartbeat-seconds", "15", "How often a working node renews its lease."),
          new Setting(
              "poll-millis",
              "1000",
              "How often idle workers look for work (they are also woken on submit)."),
          new Setting(
              "max-failures", "5", "Failed attempts (retryable errors) before a task ends FAILED."),
          new Setting(
              "max-crashes",
              "3",
              "Expired leases (a worker died mid-task) before a task ends FAILED."),
          new Setting(
              "retry-base-seconds",
              "15",
              "Backoff after the n-th failure: base × 2^(n-1), capped at 10 min, with jitter."),
          new Setting(
              "fetch-allow-private",
              "false",
              "Allow image URLs and webhooks on loopback/private networks (on-premise use, tests)."),
          new Setting(
              "rate-limit-per-minute",
              "120",
              "Submits per minute per API key, shared by all nodes (0: no limit); over it → 429 with Retry-After."),
          new Setting(
              "rate-limit-burst",
              "60",
              "Submits a key may make at once before the per-minute rate applies."),
          new Setting(
              "queue-capacity",
              "1000",
              "Queued tasks above which submits are shed with 429 instead of waiting for hours."),
          new Setting(
              "admin-key",
              "",
              "Enables the admin routes `/v1/admin/keys` (create, list, revoke keys with budgets) for this key. Empty: they answer 404."),
          new Setting(
              "prices",
              "",
              "JSON file of prices per second of video per generator (see \"Keys, budgets and usage\"). Empty: the built-in Veo and Omni list prices; `local` and `comfyui` cost 0."),
          new Setting(
              "webhook-secret",
              "",
              "Standard Webhooks signing secret (`whsec_<base64>`). Empty: one is generated, kept in the database and printed at start."),
          new Setting(
              "deployments",
              "",
              "JSON file of deployments: where each upstream generator's work goes, with cluster-wide limits (see \"Running tween as a gateway\"). Empty: one deployment per served upstream generator, from its `--veo-*` / `--omni-*` settings."),
          new Setting(
              "veo-backend",
              "vertex",
              "Only `vertex`. `gemini` is refused at start: Google shut the Gemini API's Veo models down on 2026-10-22."),
          new Setting(
              "veo-project",
              "",
              "Google Cloud project with the Vertex AI API enabled (required with `veo`)."),
          new Setting("veo-location", "us-central1", "Vertex AI location."),
          new Setting(
              "veo-credentials",
              "",
              "Service-account key JSON for Vertex AI. Empty: Application Default Credentials. Unreadable or none found: the node does not start."),
          new Setting("veo-model", "veo-3.1-lite-generate-001", "Veo model id on Vertex AI."),
          new Setting(
              "veo-base-url",
              "",
              "Vertex AI endpoint override (a proxy, or a local fake in tests). Empty: Google's."),
          new Setting(
              "veo-concurrency",
              "10",
              "`max_concurrent` of the Veo deployment the `--veo-*` settings make: operations running at once over every node that shares the database (Google's published limit for Veo 3.1: 10 concurrent requests per project). Further tasks wait in the queue."),
          new Setting(
              "veo-requests-per-minute",
              "50",
              "`requests_per_minute` of that deployment: creates in any rolling minute, over every node (Google's published limit for Veo 3.1: about 50 per minute per project). 0: no limit."),
          new Setting(
              "veo-poll-millis",
              "5000",
              "First wait between polls of a Veo operation (grows 1.5× per poll up to 60 s). Operators with short operations poll about once a second."),
          new Setting(
              "upstream-timeout-minutes",
              "20",
              "An upstream operation (Veo, Omni, ComfyUI) not done this long after its create fails the task with that reason; counted from the create, across restarts."),
          new Setting(
              "omni-api-key", "", "Gemini API key for `omni`. Falls back to `GEMINI_API_KEY`."),
          new Setting("omni-model", "gemini-omni-1.1-flash", "Gemini Omni model id."),
          new Setting(
              "omni-base-url",
              "",
              "Gemini API endpoint override (a proxy, or a local fake in tests). Empty: Google's."),
          new Setting(
              "omni-concurrency",
              "10",
              "`max_concurrent` of the Omni deployment the `--omni-*` settings make: interactions running at once over every node (one per sample)."),
          new Setting(
              "omni-requests-per-minute",
              "0",
              "`requests_per_minute` of that deployment: interactions created in any rolling minute, over every node. 0: no limit (Google publishes none for the preview; set yours from the quota page)."),
          new Setting(
              "omni-poll-millis",
              "5000",
              "First wait between polls of an Omni interaction (grows 1.5× per poll up to 60 s)."),
          new Setting(
              "s3-endpoint",
              "",
              "S3 endpoint for S3-compatible storage (MinIO, Ceph, …). Empty: AWS. Credentials: the standard `AWS_*` variables."),
          new Setting(
              "s3-region",
              "us-east-1",
              "S3 region (signs requests; most S3-compatible servers accept any)."),
          new Setting(
              "s3-path-style",
              "false",
              "`true`: address buckets as `<endpoint>/<bucket>/…` instead of `<bucket>.<endpoint>` (most S3-compatible servers)."),
          new Setting(
              "s3-presign",
              "true",
              "`true`: `video_url` is a presigned S3 URL, clients download from S3. `false`: a tween-signed link that any node streams from S3."));

  private static final Map<String, Setting> BY_NAME = new LinkedHashMap<>();

  static {
    for (Setting s : ALL) BY_NAME.put(s.name(), s);
  }

  public static Setting byName(String name) {
    Setting s = BY_NAME.get(name);
    if (s == null) throw new IllegalArgumentException("no setting " + name);
    return s;
  }

  public static boolean exists(String name) {
    return BY_NAME.containsKey(name);
  }
}
