package dev.tween.keys;

import dev.tween.store.StateSql;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a task's charge, with every allowed move written down in one place: reserved at
 * submit, then charged (the delivered samples) or released (nothing), once. {@link #SQL} builds
 * every write of the {@code state} column from this table, so two nodes settling the same task can
 * never both move it.
 */
enum ChargeState {
  RESERVED,
  CHARGED,
  RELEASED;

  private static final Map<ChargeState, Set<ChargeState>> NEXT =
      Map.of(
          RESERVED, EnumSet.of(CHARGED, RELEASED),
          CHARGED, EnumSet.noneOf(ChargeState.class),
          RELEASED, EnumSet.noneOf(ChargeState.class));

  static final StateSql<ChargeState> SQL =
      new StateSql<>("state", ChargeState.class, ChargeState::canBecome);

  boolean canBecome(ChargeState next) {
    return NEXT.get(this).contains(next);
  }
}
