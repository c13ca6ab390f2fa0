package dev.tween.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest {
  @TempDir Path root;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private long filesUnder(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void putReplacesAtomicallyAndLeavesNoTempFiles() throws IOException {
    LocalBlobStore store = new LocalBlobStore(root);
    store.put("videos/t1/0.mp4", bytes("first"), "video/mp4");
    store.put("videos/t1/0.mp4", bytes("second version"), "video/mp4");

    assertThat(store.readAll("videos/t1/0.mp4")).isEqualTo(bytes("second version"));
    assertThat(store.size("videos/t1/0.mp4")).contains(14L);
    assertThat(filesUnder(root)).isEqualTo(1);
  }

  @Test
  void putFromAFileCopiesIt(@TempDir Path scratch) throws IOException {
    Path src = Files.write(scratch.resolve("in.bin"), bytes("0123456789"));
    LocalBlobStore store = new LocalBlobStore(root);
    store.put("inputs/t1/first", src, "image/png");
    assertThat(store.readAll("inputs/t1/first")).isEqualTo(bytes("0123456789"));
    assertThat(src).exists();
  }

  @Test
  void openReadsExactlyTheRequestedRange() throws IOException {
    LocalBlobStore store = new LocalBlobStore(root);
    store.put("b", bytes("0123456789"), "application/octet-stream");
    try (InputStream in = store.open("b", 3, 4)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes("3456"));
    }
  }

  @Test
  void missingBlobsHaveNoSize() throws IOException {
    LocalBlobStore store = new LocalBlobStore(root);
    assertThat(store.size("videos/none/0.mp4")).isEmpty();
    assertThatThrownBy(() -> store.readAll("videos/none/0.mp4"))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void keysCannotEscapeTheRootOrNameTempFiles() {
    LocalBlobStore store = new LocalBlobStore(root);
    for (String bad : new String[] {"../outside", "a/../../outside", "", " ", "v/0.mp4.part-123"}) {
      assertThatThrownBy(() -> store.put(bad, bytes("x"), "text/plain"))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(root.getParent().resolve("outside")).doesNotExist();
  }

  @Test
  void deletePrefixRemovesOnlyThatTask() throws IOException {
    LocalBlobStore store = new LocalBlobStore(root);
    store.put("videos/t1/0.mp4", bytes("a"), "video/mp4");
    store.put("videos/t1/1.mp4", bytes("b"), "video/mp4");
    store.put("videos/t2/0.mp4", bytes("c"), "video/mp4");
    store.deletePrefix("videos/t1");
    store.deletePrefix("videos/never-existed");

    assertThat(store.size("videos/t1/0.mp4")).isEmpty();
    assertThat(store.size("videos/t1/1.mp4")).isEmpty();
    assertThat(store.readAll("videos/t2/0.mp4")).isEqualTo(bytes("c"));
  }

  @Test
  void listsCountsAndDeletesKeysTakingEmptyFoldersAlong() throws IOException {
    LocalBlobStore store = new LocalBlobStore(root);
    store.put("videos/t1/0.mp4", bytes("aa"), "video/mp4");
    store.put("videos/t1/poster.jpg", bytes("bbb"), "image/jpeg");
    store.put("inputs/t1/first.png", bytes("c"), "image/png");
    Files.writeString(root.resolve("videos/t1/1.mp4.part-x"), "being written");

    assertThat(store.list("videos/t1"))
        .containsExactlyInAnyOrder(
            new BlobStore.Listed("videos/t1/0.mp4", 2),
            new BlobStore.Listed("videos/t1/poster.jpg", 3));
    assertThat(store.list("videos/none")).isEmpty();
    assertThat(store.usage()).isEqualTo(new BlobStore.Usage(3, 6));

    store.delete(java.util.List.of("inputs/t1/first.png", "inputs/t1/never.png"));
    assertThat(root.resolve("inputs")).doesNotExist();
    store.delete(java.util.List.of("videos/t1/0.mp4", "videos/t1/poster.jpg"));
    assertThat(root.resolve("videos/t1")).as("a write in progress keeps its folder").exists();
    assertThat(store.usage()).isEqualTo(new BlobStore.Usage(0, 0));
    assertThat(root).exists();
  }

  @Test
  void sweepRemovesTempFilesAKilledWriterLeftAndNothingElse() throws IOException {
    LocalBlobStore store = new LocalBlobStore(root);
    store.put("videos/t1/0.mp4", bytes("kept"), "video/mp4");
    Files.write(root.resolve("videos/t1/0.mp4.part-dead"), bytes("half"));
    Files.createDirectories(root.resolve("inputs/t2"));
    Files.write(root.resolve("inputs/t2/first.part-dead"), bytes("half"));

    assertThat(store.sweepOrphans()).isEqualTo(2);
    assertThat(filesUnder(root)).isEqualTo(1);
    assertThat(store.readAll("videos/t1/0.mp4")).isEqualTo(bytes("kept"));
    assertThat(store.reachable()).isTrue();
  }
}
