package dev.tween.api;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tween.fetch.AddressPolicy;

/**
 * Any request body gets a Submission or a 4xx {@link ApiException}; nothing else escapes the
 * parser.
 */
class SubmitParserFuzzTest {
  static final SubmitParser PARSER = new SubmitParser(new AddressPolicy(false), () -> 7);

  @FuzzTest(maxDuration = "30s")
  void parserOnlyAnswers400(FuzzedDataProvider data) {
    String body = data.consumeRemainingAsString();
    try {
      PARSER.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (ApiException e) {
      if (e.status() != 400)
        throw new AssertionError("parser answered " + e.status() + ": " + e.getMessage());
    }
  }
}
