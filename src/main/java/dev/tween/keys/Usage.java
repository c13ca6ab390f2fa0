package dev.tween.keys;

import static dev.tween.keys.ChargeState.CHARGED;
import static dev.tween.keys.ChargeState.RESERVED;

import dev.tween.store.Database;
import dev.tween.store.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the {@link Ledger} charged, read back: a task's usage, usage reports, and a key's spend.
 * Reads settle ended tasks first, so they never show a reservation whose task is over.
 */
public final class Usage {
  private static final int REMEMBERED = 10_000;

  private final Ledger ledger;
  private final Database db;
  private final Clock clock;

  /**
   * Settled usage never changes: remembered so that polling a finished task costs no extra query.
   */
  private final Map<String, TaskUsage> settled =
      Collections.synchronizedMap(
          new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TaskUsage> eldest) {
              return size() > REMEMBERED;
            }
          });

  /** A settled task's {@code extra.usage}. */
  public record TaskUsage(long videoSeconds, long costMicros, String currency) {}

  public enum GroupBy {
    DAY,
    MODEL,
    KEY
  }

  /** One group of a report. */
  public record Row(
      String group, long tasks, long videoSeconds, long costMicros, String currency) {}

  /** A key's money in its current period. */
  public record Spend(long spentMicros, long reservedMicros, String currency) {}

  public Usage(Ledger ledger) {
    this.ledger = ledger;
    this.db = ledger.db();
    this.clock = ledger.clock();
  }

  /**
   * The ended task's usage (settling it first if needed); empty while it runs or when it predates
   * billing.
   */
  public Optional<TaskUsage> ofTask(String taskId) {
    TaskUsage known = settled.get(taskId);
    if (known != null) return Optional.of(known);
    for (int attempt = 0; attempt < 2; attempt++) {
      Optional<Charge> charge = charge(taskId);
      if (charge.isEmpty()) return Optional.empty();
      if (charge.get().state() != RESERVED) {
        settled.put(taskId, charge.get().usage());
        return Optional.of(charge.get().usage());
      }
      ledger.settle(taskId);
    }
    return Optional.empty();
  }

  private record Charge(ChargeState state, TaskUsage usage) {}

  private Optional<Charge> charge(String taskId) {
    return Transactions.read(
        db,
        "reading a task's usage",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT state, video_seconds, cost_micros, currency FROM charges WHERE task_id = ?")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) return Optional.empty();
              return Optional.of(
                  new Charge(
                      ChargeState.valueOf(rs.getString(1)),
                      new TaskUsage(rs.getLong(2), rs.getLong(3), rs.getString(4))));
            }
          }
        });
  }

  /** Charged tasks settled in [from, to), grouped; {@code tenant} empty means every key. */
  public List<Row> report(Optional<String> tenant, Instant from, Instant to, GroupBy groupBy) {
    ledger.settlePending(tenant);
    var groups =
        new TreeMap<List<String>, long[]>(
            (a, b) -> {
              int r = a.get(0).compareTo(b.get(0));
              return r != 0 ? r : a.get(1).compareTo(b.get(1));
            });
    Transactions.read(
        db,
        "usage query",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
            SELECT key_name, model, settled_at, video_seconds, cost_micros, currency FROM charges
             WHERE"""
                      + ChargeState.SQL.is(CHARGED)
                      + " AND settled_at >= ? AND settled_at < ?"
                      + (tenant.isPresent() ? " AND tenant = ?" : ""))) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, to.toEpochMilli());
            if (tenant.isPresent()) ps.setString(3, tenant.get());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String group =
                    switch (groupBy) {
                      case KEY -> rs.getString(1);
                      case MODEL -> rs.getString(2);
                      case DAY ->
                          LocalDate.ofInstant(Instant.ofEpochMilli(rs.getLong(3)), ZoneOffset.UTC)
                              .toString();
                    };
                long[] sums =
                    groups.computeIfAbsent(List.of(group, rs.getString(6)), k -> new long[3]);
                sums[0]++;
                sums[1] += rs.getLong(4);
                sums[2] += rs.getLong(5);
              }
            }
          }
          return null;
        });
    var rows = new ArrayList<Row>();
    for (Map.Entry<List<String>, long[]> e : groups.entrySet()) {
      rows.add(
          new Row(
              e.getKey().get(0),
              e.getValue()[0],
              e.getValue()[1],
              e.getValue()[2],
              e.getKey().get(1)));
    }
    return rows;
  }

  /** A key's charged and still-reserved money in the period containing now. */
  public Spend spend(String keyId, Optional<Budget> budget) {
    long periodStart = budget.map(b -> b.period().startOf(clock.instant())).orElse(0L);
    return Transactions.read(
        db,
        "spend query",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
            SELECT state, SUM(cost_micros), SUM(reserved_micros) FROM charges
             WHERE key_id = ? AND period_start = ? GROUP BY state""")) {
            ps.setString(1, keyId);
            ps.setLong(2, periodStart);
            long spent = 0;
            long reserved = 0;
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                switch (ChargeState.valueOf(rs.getString(1))) {
                  case CHARGED -> spent += rs.getLong(2);
                  case RESERVED -> reserved += rs.getLong(3);
                  case RELEASED -> {}
                }
              }
            }
            return new Spend(spent, reserved, ledger.currency());
          }
        });
  }
}
