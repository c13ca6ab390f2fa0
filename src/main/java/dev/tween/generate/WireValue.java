package dev.tween.generate;

import java.util.Optional;

/** An enum constant with the spelling the API uses for it on the wire. */
interface WireValue {
  String wire();

  /** The constant of {@code type} spelled {@code s} on the wire. */
  static <E extends Enum<E> & WireValue> Optional<E> parse(Class<E> type, String s) {
    for (E e : type.getEnumConstants()) if (e.wire().equals(s)) return Optional.of(e);
    return Optional.empty();
  }
}
