-- Shared by SQLite and PostgreSQL: portable types only. Times are epoch milliseconds (UTC).
CREATE TABLE tasks (
  id               TEXT PRIMARY KEY,
  tenant           TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  spec             TEXT    NOT NULL,
  progress         INTEGER NOT NULL DEFAULT 0,
  eta_seconds      INTEGER NOT NULL DEFAULT 0,
  samples          INTEGER NOT NULL DEFAULT 0,
  reason           TEXT    NOT NULL DEFAULT '',
  attempt          INTEGER NOT NULL DEFAULT 0,
  failures         INTEGER NOT NULL DEFAULT 0,
  crashes          INTEGER NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  resume_state     TEXT,
  lease_owner      TEXT,
  lease_expires_at BIGINT,
  run_after        BIGINT  NOT NULL,
  created_at       BIGINT  NOT NULL,
  started_at       BIGINT,
  finished_at      BIGINT,
  updated_at       BIGINT  NOT NULL
);

CREATE INDEX tasks_ready ON tasks (status, run_after);
CREATE INDEX tasks_tenant_created ON tasks (tenant, created_at);
CREATE INDEX tasks_lease ON tasks (status, lease_expires_at);
