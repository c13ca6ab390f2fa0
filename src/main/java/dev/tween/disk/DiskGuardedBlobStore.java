package dev.tween.disk;

import dev.tween.health.DependencyUnavailableException;
import dev.tween.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Blobs on the data directory's disk: a write that finds the disk full fails as an outage of
 * {@value DiskSpace#DEPENDENCY} (507 at submit; a worker waits and writes again) instead of an
 * error. Reads and deletes pass through untouched: they keep working on a full disk.
 */
public final class DiskGuardedBlobStore implements BlobStore {
  private final BlobStore inner;
  private final DiskSpace disk;

  public DiskGuardedBlobStore(BlobStore inner, DiskSpace disk) {
    this.inner = inner;
    this.disk = disk;
  }

  @Override
  public void put(String key, Path file, String contentType) throws IOException {
    try {
      inner.put(key, file, contentType);
    } catch (IOException e) {
      throw outageOr(e);
    }
  }

  @Override
  public void put(String key, byte[] bytes, String contentType) throws IOException {
    try {
      inner.put(key, bytes, contentType);
    } catch (IOException e) {
      throw outageOr(e);
    }
  }

  private IOException outageOr(IOException e) {
    Optional<DependencyUnavailableException> outage = disk.outageBehind(e);
    if (outage.isPresent()) throw outage.get();
    return e;
  }

  @Override
  public Optional<Long> size(String key) throws IOException {
    return inner.size(key);
  }

  @Override
  public InputStream open(String key, long offset, long length) throws IOException {
    return inner.open(key, offset, length);
  }

  @Override
  public void deletePrefix(String prefix) throws IOException {
    inner.deletePrefix(prefix);
  }

  @Override
  public List<Listed> list(String prefix) throws IOException {
    return inner.list(prefix);
  }

  @Override
  public void delete(Collection<String> keys) throws IOException {
    inner.delete(keys);
  }

  @Override
  public Usage usage() throws IOException {
    return inner.usage();
  }

  @Override
  public Optional<String> directUrl(String key, Duration ttl) {
    return inner.directUrl(key, ttl);
  }

  @Override
  public boolean reachable() {
    return inner.reachable();
  }
}
