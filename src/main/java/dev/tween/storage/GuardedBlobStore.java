package dev.tween.storage;

import dev.tween.health.Circuit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A remote blob store behind a {@link Circuit}: once the bucket is found unreachable every call
 * fails fast with {@link dev.tween.health.DependencyUnavailableException} until a probe finds it
 * back.
 */
public final class GuardedBlobStore implements BlobStore, AutoCloseable {
  private final BlobStore inner;
  private final Circuit circuit;

  public GuardedBlobStore(BlobStore inner, Circuit circuit) {
    this.inner = inner;
    this.circuit = circuit;
  }

  public Circuit circuit() {
    return circuit;
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws IOException;
  }

  private <T> T guarded(Call<T> call) throws IOException {
    circuit.check();
    try {
      return call.run();
    } catch (StorageUnreachableException e) {
      circuit.failed(e);
      throw circuit.unavailable(e);
    }
  }

  @Override
  public void put(String key, Path file, String contentType) throws IOException {
    guarded(
        () -> {
          inner.put(key, file, contentType);
          return null;
        });
  }

  @Override
  public void put(String key, byte[] bytes, String contentType) throws IOException {
    guarded(
        () -> {
          inner.put(key, bytes, contentType);
          return null;
        });
  }

  @Override
  public Optional<Long> size(String key) throws IOException {
    return guarded(() -> inner.size(key));
  }

  @Override
  public InputStream open(String key, long offset, long length) throws IOException {
    return guarded(() -> inner.open(key, offset, length));
  }

  @Override
  public void deletePrefix(String prefix) throws IOException {
    guarded(
        () -> {
          inner.deletePrefix(prefix);
          return null;
        });
  }

  @Override
  public List<Listed> list(String prefix) throws IOException {
    return guarded(() -> inner.list(prefix));
  }

  @Override
  public void delete(Collection<String> keys) throws IOException {
    guarded(
        () -> {
          inner.delete(keys);
          return null;
        });
  }

  @Override
  public Usage usage() throws IOException {
    return guarded(inner::usage);
  }

  @Override
  public Optional<String> directUrl(String key, Duration ttl) {
    return inner.directUrl(key, ttl);
  }

  @Override
  public boolean reachable() {
    return circuit.isUp();
  }

  @Override
  public void close() throws Exception {
    circuit.close();
    if (inner instanceof AutoCloseable c) c.close();
  }
}
