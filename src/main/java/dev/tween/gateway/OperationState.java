package dev.tween.gateway;

import java.util.OptionalDouble;

/** What one poll saw. */
public sealed interface OperationState {

  /**
   * Still queued or running upstream.
   *
   * @param fraction progress upstream reports, in [0,1]; empty where it reports none (tween then
   *     estimates it from the elapsed time)
   */
  record Running(OptionalDouble fraction) implements OperationState {
    public static Running unknown() {
      return new Running(OptionalDouble.empty());
    }
  }

  /**
   * Done upstream; {@code result} is what the poll returned, handed back to {@link
   * Upstream#deliver} of the same upstream (for example the finished operation with its inline
   * videos).
   */
  record Finished(Object result) implements OperationState {}
}
