package dev.tween.store;

/**
 * Tells this node's idle workers that some node queued work, so a task submitted on node A starts
 * on an idle node B at once. Only a shortcut: workers still poll, so a lost wake-up delays, never
 * loses.
 */
public interface WakeupChannel extends AutoCloseable {

  /** Starts calling {@code onWake} (from a background thread) whenever a task may be ready. */
  void start(Runnable onWake);

  @Override
  void close();

  /**
   * No cross-node signal: a single-node database (SQLite) has only local submits, which wake
   * directly.
   */
  static WakeupChannel none() {
    return new WakeupChannel() {
      @Override
      public void start(Runnable onWake) {}

      @Override
      public void close() {}
    };
  }
}
