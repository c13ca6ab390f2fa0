package dev.tween.keys;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * The window a budget applies to, in UTC: a calendar day, a calendar month, or the key's whole
 * life.
 */
public enum Period {
  DAY,
  MONTH,
  TOTAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Period> fromWire(String s) {
    for (Period p : values()) if (p.wire().equals(s)) return Optional.of(p);
    return Optional.empty();
  }

  /** Epoch milliseconds at which the period containing {@code now} began (0 for TOTAL). */
  public long startOf(Instant now) {
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return switch (this) {
      case DAY -> day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      case MONTH -> day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      case TOTAL -> 0;
    };
  }
}
