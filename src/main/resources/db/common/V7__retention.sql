-- Retention (issue "Storage that stays bounded"). A finished task's files (videos, poster, stored
-- inputs) are deleted once its retention ends; the row stays. expired_at: when tween declared them
-- gone (task-result shows it, links answer 410 from then on); purged_at: when the last of them was
-- deleted. A sweeping node claims a task with purge_owner/purge_until (a lease), so one node deletes
-- each task's files and a node that dies mid-sweep leaves a claim another node takes over.
ALTER TABLE tasks ADD COLUMN expired_at BIGINT;
ALTER TABLE tasks ADD COLUMN purged_at BIGINT;
ALTER TABLE tasks ADD COLUMN purge_owner TEXT;
ALTER TABLE tasks ADD COLUMN purge_until BIGINT;
CREATE INDEX tasks_unpurged ON tasks (finished_at) WHERE purged_at IS NULL;
