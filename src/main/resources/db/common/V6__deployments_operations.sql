-- The gateway (upstream generators served through deployments).
-- The generator a task runs on, as a column so that claims can pick by it (it was only in the spec);
-- '' in rows from before per-model routes (the node's first generator). Filled in by V6_1 per dialect.
ALTER TABLE tasks ADD COLUMN generator TEXT NOT NULL DEFAULT '';
CREATE INDEX tasks_generator_ready ON tasks (generator, status, run_after);

-- One row per configured deployment, shared by every node: the lock that serializes admissions to
-- its generator's deployments, and the cooldown a 429 starts (no creates before cooldown_until).
CREATE TABLE deployments (
  name           TEXT   PRIMARY KEY,
  generator      TEXT   NOT NULL,
  cooldown_until BIGINT NOT NULL DEFAULT 0,
  updated_at     BIGINT NOT NULL
);

-- One row per upstream operation (a Veo operation, an Omni interaction, a ComfyUI prompt), written
-- before it is created upstream: it holds one of its deployment's max_concurrent slots while CREATING
-- or RUNNING and its task is not final (DONE: finished upstream, or given up with its task), and counts towards requests_per_minute by created_at. A task
-- resumed after a crash finds here which deployment and which upstream id to poll, so it never
-- creates a second operation for one sample.
CREATE TABLE operations (
  task_id     TEXT    NOT NULL,
  idx         INTEGER NOT NULL,
  deployment  TEXT    NOT NULL,
  state       TEXT    NOT NULL,
  upstream_id TEXT,
  created_at  BIGINT  NOT NULL,
  finished_at BIGINT,
  PRIMARY KEY (task_id, idx)
);
CREATE INDEX operations_state ON operations (state, deployment);
CREATE INDEX operations_recent ON operations (deployment, created_at);
