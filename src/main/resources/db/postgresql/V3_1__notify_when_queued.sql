-- PostgreSQL only: every time a task becomes QUEUED (submitted, released, re-queued after a crash or a
-- failure), tell the listening nodes (LISTEN tween_tasks) so an idle worker anywhere starts it now
-- instead of at its next poll. The notification is sent at commit; polling remains the fallback.
CREATE FUNCTION tween_notify_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tween_tasks', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER tasks_notify_queued
  AFTER INSERT OR UPDATE OF status ON tasks
  FOR EACH ROW WHEN (NEW.status = 'QUEUED')
  EXECUTE FUNCTION tween_notify_queued();
