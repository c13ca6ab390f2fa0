package dev.tween.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tween.api.Submission.ImageInput;
import dev.tween.fetch.AddressPolicy;
import dev.tween.fetch.FetchException;
import dev.tween.fetch.ImageSource;
import dev.tween.fetch.ImageSourceException;
import dev.tween.fetch.SafeHttp;
import dev.tween.generate.VideoOptions;
import dev.tween.generate.VideoOptions.AspectRatio;
import dev.tween.generate.VideoOptions.PersonGeneration;
import dev.tween.generate.VideoOptions.Resolution;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Applies every rule of the submit contract (the README's request table and {@code openapi.json})
 * to a raw body. Each violation is an {@link ApiException} with status 400 whose message names the
 * field and the rule.
 */
final class SubmitParser {
  static final int MAX_PROMPT_CHARS = 2000;
  private static final BigInteger MAX_SEED = BigInteger.valueOf(0xFFFF_FFFFL);

  /** Images arrive as one base64 string: allow strings as long as the largest accepted body. */
  private static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxStringLength(Integer.MAX_VALUE - 16)
                          .build())
                  .build())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ImageFieldParser images;
  private final AddressPolicy addresses;
  private final LongSupplier randomSeed;

  /**
   * @param randomSeed the seed of a request that gives none (0 … 4294967295)
   */
  SubmitParser(AddressPolicy addresses, LongSupplier randomSeed) {
    this.images = new ImageFieldParser(addresses);
    this.addresses = addresses;
    this.randomSeed = randomSeed;
  }

  Submission parse(byte[] body) {
    Body parsed = readJson(body);
    JsonNode root = parsed.rest();
    ImageInput image = image(parsed, "image", "image");
    ImageInput last = image(parsed, "last_frame_image", "last_image");
    OptionalLong seed = seed(root);
    var options =
        new VideoOptions(
            prompt(root),
            optionalText(root, "negative_prompt"),
            duration(root),
            oneOf(root, "resolution", Resolution::fromWire, Resolution.P720, "720p", "1080p"),
            oneOf(
                root, "aspect_ratio", AspectRatio::fromWire, AspectRatio.LANDSCAPE, "16:9", "9:16"),
            sampleCount(root),
            seed.orElseGet(randomSeed),
            seed.isPresent(),
            bool(root, "enhance_prompt", true),
            bool(root, "generate_audio", false),
            oneOf(
                root,
                "person_generation",
                PersonGeneration::fromWire,
                PersonGeneration.ALLOW_ADULT,
                "allow_adult",
                "dont_allow"));
    return new Submission(image, last, options, webhook(root));
  }

  private static final Set<String> IMAGE_FIELDS = Set.of("image", "last_frame_image", "last_image");

  /** Sub-values of the body; the body as a whole is checked for trailing tokens by readJson. */
  private static final ObjectReader TREE =
      JSON.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * The body's top-level fields: image strings apart (they are most of its bytes), everything else
   * as a tree.
   */
  private record Body(ObjectNode rest, Map<String, String> images) {}

  /**
   * Walks the top level with the streaming parser. An image string is copied once, straight from
   * the body's bytes, instead of through Jackson's text buffer (a char per byte, grown in
   * segments): bodies of two 20 MB images in base64 otherwise cost several times their size in
   * transient heap.
   */
  private static Body readJson(byte[] body) {
    if (body.length == 0) throw ApiException.invalid("body", "is empty; send a JSON object");
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t == null) throw ApiException.invalid("body", "is empty; send a JSON object");
      if (t != JsonToken.START_OBJECT) {
        TREE.readTree(p);
        requireEnd(p);
        throw ApiException.invalid("body", "must be a JSON object");
      }
      ObjectNode rest = JSON.createObjectNode();
      Map<String, String> images = new HashMap<>();
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        if (p.nextToken() == JsonToken.VALUE_STRING && IMAGE_FIELDS.contains(name))
          images.put(name, imageText(name, p, body));
        else rest.set(name, TREE.readTree(p));
      }
      requireEnd(p);
      return new Body(rest, images);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw ApiException.invalid(
          "body",
          "is not valid JSON: "
              + e.getOriginalMessage()
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw ApiException.invalid("body", "could not be read: " + e.getMessage());
    }
  }

  private static void requireEnd(JsonParser p) throws IOException {
    if (p.nextToken() != null) {
      throw new JsonParseException(
          p, "Trailing token (" + p.currentToken() + ") after the JSON value");
    }
  }

  /**
   * The current string token's text. Plain ASCII without escapes (what base64 and URLs are) is
   * copied from the bytes between its quotes, after the size rule for inline images was applied to
   * the count of base64 characters seen on the way (so an oversized image costs one pass, no copy).
   * Anything else goes through the parser, which also validates the string when it moves past it.
   */
  private static String imageText(String field, JsonParser p, byte[] body) throws IOException {
    long quote = p.currentTokenLocation().getByteOffset();
    if (quote < 0 || quote >= body.length || body[(int) quote] != '"') return p.getText();
    int start = (int) quote + 1;
    long base64 = 0;
    for (int i = start; i < body.length; i++) {
      byte b = body[i];
      if (b == '"') {
        if (!startsWithHttp(body, start)) checkInlineSize(field, base64);
        return new String(body, start, i - start, StandardCharsets.ISO_8859_1);
      }
      if (b == '\\' || b < 0x20)
        break; // an escape, a control or a non-ASCII byte (negative): Jackson decodes
      if (BASE64[b]) base64++;
      else if (b == ',') base64 = 0; // the end of a data URI's header
    }
    return p.getText();
  }

  private static final boolean[] BASE64 = new boolean[128];

  static {
    for (char c :
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_".toCharArray())
      BASE64[c] = true;
  }

  private static boolean startsWithHttp(byte[] b, int at) {
    return b.length > at + 4
        && (b[at] | 0x20) == 'h'
        && (b[at + 1] | 0x20) == 't'
        && (b[at + 2] | 0x20) == 't'
        && (b[at + 3] | 0x20) == 'p';
  }

  private static void checkInlineSize(String field, long base64Chars) {
    try {
      ImageSource.checkInlineSize(base64Chars);
    } catch (ImageSourceException e) {
      throw ApiException.invalid(field, e.getMessage());
    }
  }

  /** The field's node, or its alias's; null/absent is empty. */
  private static Optional<Field> field(JsonNode root, String name, String alias) {
    for (String n : new String[] {name, alias}) {
      JsonNode v = root.get(n);
      if (v != null && !v.isNull()) return Optional.of(new Field(n, v));
    }
    return Optional.empty();
  }

  private record Field(String name, JsonNode value) {}

  private ImageInput image(Body body, String name, String alias) {
    for (String n : new String[] {name, alias}) {
      String text = body.images().get(n);
      if (text != null) return images.parse(n, text);
      JsonNode v = body.rest().get(n);
      if (v != null && !v.isNull()) throw ApiException.invalid(n, "must be a string");
    }
    throw ApiException.invalid(
        name,
        "is required: an http(s) URL, a data:image/...;base64, URI or base64-encoded JPEG/PNG");
  }

  private static String prompt(JsonNode root) {
    Field f =
        field(root, "prompt", "prompt")
            .orElseThrow(() -> ApiException.invalid("prompt", "is required"));
    String p = text(f);
    if (p.isBlank()) throw ApiException.invalid("prompt", "must not be blank");
    checkLength(f.name(), p);
    return p;
  }

  private static Optional<String> optionalText(JsonNode root, String name) {
    return field(root, name, name)
        .map(
            f -> {
              String t = text(f);
              checkLength(name, t);
              return t;
            })
        .filter(t -> !t.isBlank());
  }

  private static String text(Field f) {
    if (!f.value().isTextual()) throw ApiException.invalid(f.name(), "must be a string");
    return f.value().textValue();
  }

  private static void checkLength(String name, String s) {
    int chars = s.codePointCount(0, s.length());
    if (chars > MAX_PROMPT_CHARS) {
      throw ApiException.invalid(
          name, "must be at most " + MAX_PROMPT_CHARS + " characters, got " + chars);
    }
  }

  private static int duration(JsonNode root) {
    Optional<Field> f = field(root, "duration", "duration_seconds");
    if (f.isEmpty()) return 8;
    long v = integral(f.get());
    if (v != 4 && v != 6 && v != 8) {
      throw ApiException.invalid(f.get().name(), "must be one of 4, 6, 8 (seconds), got " + v);
    }
    return (int) v;
  }

  private static long integral(Field f) {
    JsonNode v = f.value();
    if (!v.isIntegralNumber()) {
      String got =
          v.isNumber() ? "the fraction " + v.asText() : "a " + v.getNodeType().name().toLowerCase();
      throw ApiException.invalid(f.name(), "must be an integer, got " + got);
    }
    if (!v.canConvertToLong())
      throw ApiException.invalid(f.name(), "is out of range: " + v.asText());
    return v.longValue();
  }

  private static int sampleCount(JsonNode root) {
    Optional<Field> f = field(root, "sample_count", "sample_count");
    if (f.isEmpty()) return 1;
    long v = integral(f.get());
    if (v < 1 || v > 4)
      throw ApiException.invalid("sample_count", "must be between 1 and 4, got " + v);
    return (int) v;
  }

  private static OptionalLong seed(JsonNode root) {
    Optional<Field> f = field(root, "seed", "seed");
    if (f.isEmpty()) return OptionalLong.empty();
    JsonNode v = f.get().value();
    if (!v.isIntegralNumber()) {
      String got =
          v.isNumber() ? "the fraction " + v.asText() : "a " + v.getNodeType().name().toLowerCase();
      throw ApiException.invalid("seed", "must be an integer between 0 and 4294967295, got " + got);
    }
    BigInteger b = v.bigIntegerValue();
    if (b.signum() < 0 || b.compareTo(MAX_SEED) > 0) {
      throw ApiException.invalid(
          "seed", "must be between 0 and 4294967295 (unsigned 32-bit), got " + b);
    }
    return OptionalLong.of(b.longValue());
  }

  private static boolean bool(JsonNode root, String name, boolean dflt) {
    Optional<Field> f = field(root, name, name);
    if (f.isEmpty()) return dflt;
    if (!f.get().value().isBoolean()) {
      throw ApiException.invalid(name, "must be a boolean (true or false), got " + f.get().value());
    }
    return f.get().value().booleanValue();
  }

  private static <E> E oneOf(
      JsonNode root,
      String name,
      Function<String, Optional<E>> fromWire,
      E dflt,
      String... allowed) {
    Optional<Field> f = field(root, name, name);
    if (f.isEmpty()) return dflt;
    String t = text(f.get());
    return fromWire
        .apply(t)
        .orElseThrow(
            () ->
                ApiException.invalid(
                    name,
                    "must be one of "
                        + String.join(", ", allowed)
                        + ", got \""
                        + abbreviate(t)
                        + "\""));
  }

  private Optional<URI> webhook(JsonNode root) {
    JsonNode extra = root.get("extra");
    if (extra == null || extra.isNull()) return Optional.empty();
    if (!extra.isObject()) throw ApiException.invalid("extra", "must be an object");
    JsonNode hook = extra.get("webhook");
    if (hook == null || hook.isNull()) return Optional.empty();
    if (!hook.isObject())
      throw ApiException.invalid("extra.webhook", "must be an object with a url");
    JsonNode url = hook.get("url");
    if (url == null || !url.isTextual())
      throw ApiException.invalid("extra.webhook.url", "must be a string URL");
    try {
      URI u = new URI(url.textValue());
      SafeHttp.precheck(u, addresses);
      return Optional.of(u);
    } catch (java.net.URISyntaxException e) {
      throw ApiException.invalid("extra.webhook.url", "is not a valid URL: " + e.getReason());
    } catch (FetchException e) {
      throw ApiException.invalid("extra.webhook.url", e.getMessage());
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
