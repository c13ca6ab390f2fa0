package dev.tween.keys;

/** How much a key may spend per period, in micro-units of the price table's currency. */
public record Budget(long amountMicros, Period period) {
  public Budget {
    if (amountMicros < 0) throw new IllegalArgumentException("budget " + amountMicros);
  }
}
