package dev.tween.keys;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Amounts are kept as whole micro-units (1 USD = 1,000,000) so sums never drift. */
public final class Money {
  private static final BigDecimal MICROS = BigDecimal.valueOf(1_000_000);

  private Money() {}

  public static long toMicros(double amount) {
    return BigDecimal.valueOf(amount)
        .multiply(MICROS)
        .setScale(0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  /** For JSON: a plain decimal such as 0.4 or 25. */
  public static BigDecimal of(long micros) {
    BigDecimal d = BigDecimal.valueOf(micros).divide(MICROS).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }
}
