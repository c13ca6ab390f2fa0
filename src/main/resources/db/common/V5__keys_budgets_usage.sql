-- API keys created through the admin routes (TWEEN_API_KEYS keys are not stored). Only the SHA-256
-- of the secret is kept. Money is in micro-units of the price table's currency (1 USD = 1,000,000).
CREATE TABLE api_keys (
  id                    TEXT PRIMARY KEY,
  name                  TEXT    NOT NULL,
  key_hash              TEXT    NOT NULL UNIQUE,
  budget_micros         BIGINT,
  budget_period         TEXT,
  rate_limit_per_minute INTEGER NOT NULL DEFAULT 0,
  created_at            BIGINT  NOT NULL,
  revoked_at            BIGINT
);

-- What a budgeted key has committed (reserved + charged) in one period; the reservation at submit is
-- one conditional UPDATE of this row, so parallel submits on any number of nodes never overspend.
CREATE TABLE key_spend (
  key_id           TEXT   NOT NULL,
  period_start     BIGINT NOT NULL,
  committed_micros BIGINT NOT NULL,
  PRIMARY KEY (key_id, period_start)
);

-- One row per task: reserved at submit, then CHARGED (delivered samples only) or RELEASED.
CREATE TABLE charges (
  task_id         TEXT    PRIMARY KEY,
  tenant          TEXT    NOT NULL,
  key_id          TEXT,
  key_name        TEXT    NOT NULL,
  model           TEXT    NOT NULL,
  currency        TEXT    NOT NULL,
  price_micros    BIGINT  NOT NULL,
  duration        INTEGER NOT NULL,
  reserved_micros BIGINT  NOT NULL,
  budgeted        INTEGER NOT NULL,
  period_start    BIGINT  NOT NULL,
  state           TEXT    NOT NULL,
  video_seconds   INTEGER NOT NULL DEFAULT 0,
  cost_micros     BIGINT  NOT NULL DEFAULT 0,
  created_at      BIGINT  NOT NULL,
  settled_at      BIGINT
);
CREATE INDEX charges_pending ON charges (state, tenant);
CREATE INDEX charges_settled ON charges (settled_at);
CREATE INDEX charges_key_period ON charges (key_id, period_start);
