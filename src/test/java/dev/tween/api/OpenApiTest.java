package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.TestNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /openapi.json describes exactly the routes the server registers, and every submit field. */
class OpenApiTest {
  @TempDir Path dir;

  @Test
  void documentMatchesTheRegisteredRoutes() throws Exception {
    try (TestNode node =
        TestNode.start(dir, Optional.of(FakeGenerator.instant()), Map.of("workers", "0"))) {
      var r = node.get("/openapi.json", null);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode doc = TestNode.json(r.body());
      assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
      Set<String> documented = new HashSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
        var path = it.next();
        path.getValue()
            .fieldNames()
            .forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
      }
      Set<String> served = new HashSet<>();
      node.app().routes().forEach(route -> served.add(route.method() + " " + route.path()));
      assertThat(documented).isEqualTo(served);
    }
  }

  @Test
  void submitSchemaListsEveryFieldTheParserReads() throws Exception {
    try (TestNode node =
        TestNode.start(dir, Optional.of(FakeGenerator.instant()), Map.of("workers", "0"))) {
      JsonNode props =
          TestNode.json(node.get("/openapi.json", null).body())
              .at("/components/schemas/SubmitRequest/properties");
      Set<String> names = new HashSet<>();
      props.fieldNames().forEachRemaining(names::add);
      String parser =
          java.nio.file.Files.readString(Path.of("src/main/java/dev/tween/api/SubmitParser.java"));
      var m = java.util.regex.Pattern.compile("\"([a-z_]+)\"").matcher(parser);
      Set<String> read = new HashSet<>();
      while (m.find()) if (!m.group(1).equals("body")) read.add(m.group(1));
      read.removeAll(
          Set.of("webhook", "url", "allow_adult", "dont_allow")); // nested keys and enum values
      assertThat(names).containsAll(read);
      assertThat(props.at("/duration/default").asInt()).isEqualTo(8);
      assertThat(props.at("/seed/maximum").asLong()).isEqualTo(4294967295L);
    }
  }
}
