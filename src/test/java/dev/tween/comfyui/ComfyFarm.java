package dev.tween.comfyui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tween.testing.Images;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two fake GPU boxes and the deployments file that points tween at them, as docs/comfyui.md shows.
 */
final class ComfyFarm implements AutoCloseable {
  /** The frames of {@code Bodies.simple}. */
  static final byte[] FIRST = Images.png(64, 36, 0);

  static final byte[] LAST = Images.png(64, 36, 8);

  final List<FakeComfyUi> boxes = new ArrayList<>();
  final Path deployments;

  ComfyFarm(Path dir, Path workflow) throws IOException {
    ObjectNode file = FakeComfyUi.JSON.createObjectNode();
    ArrayNode list = file.putArray("deployments");
    for (String name : List.of("gpu-a", "gpu-b")) {
      FakeComfyUi box = new FakeComfyUi(Files.createDirectories(dir.resolve(name)));
      box.expectFrames(FIRST, LAST);
      boxes.add(box);
      list.addObject()
          .put("name", name)
          .put("generator", "comfyui")
          .put("base_url", box.baseUrl())
          .put("workflow", workflow.toString());
    }
    deployments = dir.resolve("deployments.json");
    Files.writeString(deployments, file.toPrettyString());
  }

  /** The deployment a box is. */
  String name(FakeComfyUi box) {
    return boxes.get(0) == box ? "gpu-a" : "gpu-b";
  }

  FakeComfyUi a() {
    return boxes.get(0);
  }

  FakeComfyUi b() {
    return boxes.get(1);
  }

  int promptCalls() {
    return boxes.stream().mapToInt(FakeComfyUi::promptCalls).sum();
  }

  List<FakeComfyUi.Seen> seen() {
    List<FakeComfyUi.Seen> all = new ArrayList<>();
    boxes.forEach(b -> all.addAll(b.seen()));
    return all;
  }

  List<String> problems() {
    List<String> all = new ArrayList<>();
    boxes.forEach(b -> all.addAll(b.problems()));
    return all;
  }

  /** The first box running a prompt, if any. */
  FakeComfyUi busy() {
    return boxes.stream().filter(b -> b.running() != null).findFirst().orElse(null);
  }

  void release() {
    boxes.forEach(FakeComfyUi::release);
  }

  @Override
  public void close() {
    boxes.forEach(FakeComfyUi::close);
  }
}
