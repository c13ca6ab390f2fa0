package dev.tween.google;

import com.google.genai.errors.ApiException;
import dev.tween.gateway.UpstreamException;
import java.util.function.Supplier;

/**
 * Calls to Google through the SDK, each counted by outcome ({@link CallObserver}) and failing as
 * the gateway's {@link UpstreamException}: an HTTP error answer as the model's {@link Refusals}
 * phrase it, no answer at all as {@link GoogleFailures#noAnswer}.
 */
final class SdkCalls {
  /** An HTTP error answer of Google to {@code what} tween was doing, as the gateway's failure. */
  @FunctionalInterface
  interface Refusals {
    UpstreamException failure(String what, ApiException e);
  }

  private final CallObserver calls;
  private final Refusals refusals;

  SdkCalls(CallObserver calls, Refusals refusals) {
    this.calls = calls;
    this.refusals = refusals;
  }

  /** A call that starts an operation: one that broke after it was sent may have started it. */
  <T> T create(String what, Supplier<T> call) throws UpstreamException {
    return run("submit", what, true, call);
  }

  /** A call that only reads: one that got no answer changed nothing. */
  <T> T poll(String what, Supplier<T> call) throws UpstreamException {
    return run("poll", what, false, call);
  }

  private <T> T run(String step, String what, boolean create, Supplier<T> call)
      throws UpstreamException {
    T answer;
    try {
      answer = call.get();
    } catch (ApiException e) {
      calls.call(step, Integer.toString(e.code()));
      throw refusals.failure(what, e);
    } catch (RuntimeException e) {
      calls.call(step, "io");
      throw GoogleFailures.noAnswer(what, e, create);
    }
    calls.call(step, "ok");
    return answer;
  }
}
