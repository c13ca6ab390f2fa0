package dev.tween.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets a node generates once and keeps in its data directory (mode 0600). */
final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** The file's content, created with {@code bytes} random bytes (base64url) when missing. */
  static String loadOrCreate(Path file, int bytes, String prefix) throws IOException {
    if (Files.exists(file)) return Files.readString(file, StandardCharsets.UTF_8).strip();
    byte[] raw = new byte[bytes];
    RANDOM.nextBytes(raw);
    String value = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system: rely on the directory's permissions
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return value;
  }
}
