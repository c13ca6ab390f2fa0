package dev.tween.worker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * "A task was queued": told by a submit on this node, by another node (PostgreSQL NOTIFY) or by the
 * reaper, heard by whatever looks for work here (the local workers, the gateway). Those register
 * when they are built, so what signals can be built before them.
 */
public final class Wakeups {
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public void listen(Runnable listener) {
    listeners.add(listener);
  }

  public void wake() {
    for (Runnable r : listeners) r.run();
  }
}
