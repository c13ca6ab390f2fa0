-- Secrets every node of a deployment must share (e.g. the key that signs video links).
CREATE TABLE secrets (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
