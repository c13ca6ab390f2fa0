package dev.tween.engine;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Encodes frames on a thread of its own, so the next frame is synthesized while this one is
 * encoded. Frames are copied into a small ring of buffers and written strictly in order, so the
 * file is byte-for-byte what a single thread would write.
 */
final class EncodeQueue implements AutoCloseable {
  private static final int SLOTS = 3;
  private final Mp4Writer writer;
  private final LongConsumer frameNanos;
  private final Mat[] ring = new Mat[SLOTS];
  private final BlockingQueue<Integer> free = new ArrayBlockingQueue<>(SLOTS);
  private final AtomicReference<IOException> failure = new AtomicReference<>();
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "tween-encoder");
            t.setDaemon(true);
            return t;
          });
  private long lastDone = System.nanoTime();

  /**
   * @param frameNanos told the time between two encoded frames (the pipeline's cost per frame)
   */
  EncodeQueue(Mp4Writer writer, LongConsumer frameNanos) {
    this.writer = writer;
    this.frameNanos = frameNanos;
    for (int i = 0; i < SLOTS; i++) {
      ring[i] = new Mat(); // allocated by the first copy into it
      free.add(i);
    }
  }

  /**
   * Queues a copy of {@code frame} (I420, see {@link Yuv}) and its audio chunk (or null); blocks
   * while all slots are busy.
   */
  void put(Mat frame, short[] audio) throws IOException, InterruptedException {
    rethrow();
    int slot = free.take();
    frame.copyTo(ring[slot]);
    thread.execute(
        () -> {
          try (PointerScope scope = new PointerScope()) {
            if (failure.get() == null) {
              writer.write(ring[slot]);
              if (audio != null) writer.writeAudio(audio);
              long now = System.nanoTime();
              frameNanos.accept(now - lastDone);
              lastDone = now;
            }
          } catch (IOException e) {
            failure.compareAndSet(null, e);
          } catch (RuntimeException e) {
            failure.compareAndSet(null, new IOException("encoding a frame failed: " + e, e));
          } finally {
            free.add(slot);
          }
        });
  }

  /** Waits until every queued frame is written; throws the first encoding failure. */
  void finish() throws IOException, InterruptedException {
    for (int i = 0; i < SLOTS; i++) free.take();
    for (int i = 0; i < SLOTS; i++) free.add(i);
    rethrow();
  }

  private void rethrow() throws IOException {
    IOException e = failure.get();
    if (e != null) throw e;
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(1, TimeUnit.MINUTES)) thread.shutdownNow();
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
    for (Mat m : ring) m.close();
  }
}
