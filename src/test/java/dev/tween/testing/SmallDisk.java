package dev.tween.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A small real file system (tmpfs) that tests fill to the last byte and free again. Mounting needs
 * root: as any other user the calling test is skipped with a message saying so (CI runs as root).
 */
public final class SmallDisk implements AutoCloseable {
  private final Path root;
  private final Path filler;

  private SmallDisk(Path root) {
    this.root = root;
    this.filler = root.resolve("filler");
  }

  /** A tmpfs of {@code mib} MiB mounted at {@code at} (created), or the test is skipped. */
  public static SmallDisk mount(Path at, int mib) throws IOException, InterruptedException {
    Assumptions.assumeTrue(
        isRoot(),
        "skipped: mounting a small tmpfs to fill needs root (CI runs the tests as root);"
            + " run as root to test a full disk");
    Files.createDirectories(at);
    run("mount", "-t", "tmpfs", "-o", "size=" + mib + "m,mode=0755", "tmpfs", at.toString());
    return new SmallDisk(at);
  }

  private static boolean isRoot() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    return p.waitFor() == 0 && out.equals("0");
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0)
      throw new IOException(String.join(" ", command) + " failed: " + out.strip());
  }

  public Path root() {
    return root;
  }

  public long free() throws IOException {
    return Files.getFileStore(root).getUsableSpace();
  }

  /** Writes a filler file until the file system refuses another byte. */
  public void fill() throws IOException {
    fillLeaving(0);
  }

  /** Writes a filler file until about {@code bytes} are left (all of it for 0). */
  public void fillLeaving(long bytes) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out =
        Files.newOutputStream(
            filler,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND)) {
      for (int size : List.of(chunk.length, 4096, 1)) {
        while (free() - size >= bytes) out.write(chunk, 0, size);
      }
      if (bytes == 0) {
        while (true) out.write(chunk, 0, 1);
      }
    } catch (IOException e) {
      if (bytes > 0 || !String.valueOf(e.getMessage()).contains("No space left"))
        throw e; // expected only when filling to the last byte
    }
  }

  /** Deletes the filler: the space is back. */
  public void release() throws IOException {
    Files.deleteIfExists(filler);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", "-l", root.toString());
  }
}
