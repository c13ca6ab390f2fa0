package dev.tween.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Blobs as files under one root: written to a temp name, fsynced, then renamed into place. */
public final class LocalBlobStore implements BlobStore {
  private static final Logger log = LoggerFactory.getLogger(LocalBlobStore.class);
  private static final String TEMP_MARK = ".part-";

  private final Path root;

  public LocalBlobStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create blob directory " + this.root, e);
    }
  }

  /**
   * Deletes temp files a killed process left behind. Call once at start, before any writer runs.
   */
  public int sweepOrphans() throws IOException {
    int[] n = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (file.getFileName().toString().contains(TEMP_MARK)) {
              Files.deleteIfExists(file);
              n[0]++;
            }
            return FileVisitResult.CONTINUE;
          }
        });
    if (n[0] > 0) log.info("event=blob_orphans_swept count={}", n[0]);
    return n[0];
  }

  Path resolve(String key) {
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root) || key.isBlank() || key.contains(TEMP_MARK)) {
      throw new IllegalArgumentException("bad blob key " + key);
    }
    return p;
  }

  @Override
  public void put(String key, Path file, String contentType) throws IOException {
    Path target = resolve(key);
    Path tmp = tempFor(target);
    try {
      Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
      publish(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void put(String key, byte[] bytes, String contentType) throws IOException {
    Path target = resolve(key);
    Path tmp = tempFor(target);
    try {
      Files.write(tmp, bytes);
      publish(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path tempFor(Path target) throws IOException {
    Files.createDirectories(target.getParent());
    return target.resolveSibling(target.getFileName() + TEMP_MARK + UUID.randomUUID());
  }

  private static void publish(Path tmp, Path target) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public Optional<Long> size(String key) throws IOException {
    Path p = resolve(key);
    try {
      return Optional.of(Files.size(p));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public InputStream open(String key, long offset, long length) throws IOException {
    FileChannel ch = FileChannel.open(resolve(key), StandardOpenOption.READ);
    ch.position(offset);
    return new BoundedInputStream(Channels.newInputStream(ch), length);
  }

  @Override
  public void deletePrefix(String prefix) throws IOException {
    Path dir = resolve(prefix);
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList())
        Files.deleteIfExists(p);
    }
  }

  @Override
  public List<Listed> list(String prefix) throws IOException {
    Path dir = resolve(prefix);
    List<Listed> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    walkBlobs(dir, (file, size) -> out.add(new Listed(keyOf(file), size)));
    return out;
  }

  @Override
  public void delete(Collection<String> keys) throws IOException {
    for (String key : keys) {
      Path p = resolve(key);
      Files.deleteIfExists(p);
      removeEmptyParents(p.getParent());
    }
  }

  /** Folders such as {@code videos/<task>} go with their last blob. */
  private void removeEmptyParents(Path dir) throws IOException {
    for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
      try {
        Files.deleteIfExists(d);
      } catch (DirectoryNotEmptyException e) {
        return;
      }
    }
  }

  @Override
  public Usage usage() throws IOException {
    long[] n = {0, 0};
    walkBlobs(
        root,
        (file, size) -> {
          n[0]++;
          n[1] += size;
        });
    return new Usage(n[0], n[1]);
  }

  private interface BlobVisitor {
    void visit(Path file, long size);
  }

  /** Every finished blob under {@code dir}: temp files of writes in progress are skipped. */
  private static void walkBlobs(Path dir, BlobVisitor visitor) throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && !file.getFileName().toString().contains(TEMP_MARK))
              visitor.visit(file, attrs.size());
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE; // just deleted
            throw e;
          }
        });
  }

  private String keyOf(Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  @Override
  public boolean reachable() {
    return Files.isDirectory(root) && Files.isWritable(root);
  }
}
