package dev.tween.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The web page and the OpenAPI document, read once from the jar. */
final class WebPage {
  static final String INDEX = resource("/web/index.html");
  static final String OPENAPI = resource("/web/openapi.json");

  private WebPage() {}

  private static String resource(String name) {
    try (InputStream in = WebPage.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
