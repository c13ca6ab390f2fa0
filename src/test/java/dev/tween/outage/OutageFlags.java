package dev.tween.outage;

import dev.tween.bench.LocalPostgres;
import java.util.HashMap;
import java.util.Map;

/** Node settings the outage tests share. */
final class OutageFlags {
  private OutageFlags() {}

  /** A fresh database on the test's own PostgreSQL, which it may stop without disturbing others. */
  static Map<String, String> on(LocalPostgres pg) {
    return Map.of("db-url", pg.freshDatabase(), "db-user", LocalPostgres.USER);
  }

  /**
   * Budgets that a few seconds of outage would use up if it counted as a failure or a crash: a 5 s
   * lease, one crash, one failure. A task that survives with these lost no attempt to the outage.
   */
  static Map<String, String> tightBudgets() {
    return Map.of(
        "lease-seconds", "5",
        "heartbeat-seconds", "1",
        "max-crashes", "1",
        "max-failures", "1",
        "retry-base-seconds", "1");
  }

  /** {@code base} plus every map in {@code more}, later ones winning. */
  @SafeVarargs
  static Map<String, String> merged(Map<String, String> base, Map<String, String>... more) {
    var all = new HashMap<>(base);
    for (Map<String, String> m : more) all.putAll(m);
    return all;
  }
}
