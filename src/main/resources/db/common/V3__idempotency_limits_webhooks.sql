-- Idempotency-Key reservations: one row per tenant and key for 24 h.
CREATE TABLE idempotency_keys (
  tenant      TEXT   NOT NULL,
  idem_key    TEXT   NOT NULL,
  body_sha256 TEXT   NOT NULL,
  task_id     TEXT,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (tenant, idem_key)
);
CREATE INDEX idempotency_created ON idempotency_keys (created_at);

-- Token buckets of the per-key submit rate limit, shared by every node.
CREATE TABLE rate_buckets (
  tenant     TEXT             NOT NULL PRIMARY KEY,
  tokens     DOUBLE PRECISION NOT NULL,
  updated_at BIGINT           NOT NULL
);

-- Webhook delivery state lives on the task: set due in the same statement that ends the task,
-- so no final state can be reached without its delivery being scheduled.
ALTER TABLE tasks ADD COLUMN has_webhook INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN webhook_due_at BIGINT;
ALTER TABLE tasks ADD COLUMN webhook_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN webhook_delivered_at BIGINT;
ALTER TABLE tasks ADD COLUMN webhook_last_error TEXT;
CREATE INDEX tasks_webhook_due ON tasks (webhook_due_at);
