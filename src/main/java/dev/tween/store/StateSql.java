package dev.tween.store;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * The SQL of a state column, derived from its table of allowed moves: no statement names a state
 * literally, and a move the table forbids fails when the statement is built. Tasks use it through
 * {@link StatusSql}, charges in {@code keys.Ledger}.
 */
public final class StateSql<S extends Enum<S>> {
  private final String column;
  private final Class<S> states;
  private final BiPredicate<S, S> canBecome;

  /**
   * @param column the state column, e.g. {@code status}
   * @param canBecome the table: whether the first state may move to the second
   */
  public StateSql(String column, Class<S> states, BiPredicate<S, S> canBecome) {
    this.column = column;
    this.states = states;
    this.canBecome = canBecome;
  }

  /** The same column of the table a query calls {@code alias}. */
  public StateSql<S> of(String alias) {
    return new StateSql<>(alias + "." + column, states, canBecome);
  }

  /** The SET side of a move: {@code column = 'TARGET'}. */
  public String to(S target) {
    if (predecessorsOf(target).isEmpty()) {
      throw new IllegalArgumentException("no state may become " + target);
    }
    return column + " = " + literal(target);
  }

  /**
   * The WHERE side of a move from any state the table allows: {@code column IN ('A','B')} (with a
   * leading space).
   */
  public String from(S target) {
    return in(predecessorsOf(target));
  }

  /** The WHERE side of a move from one state: {@code column = 'CURRENT'}, if the move is legal. */
  public String from(S current, S target) {
    if (!canBecome.test(current, target)) {
      throw new IllegalArgumentException(current + " may not become " + target);
    }
    return is(current);
  }

  /** A condition that moves nothing: {@code column = 'S'} (with a leading space). */
  public String is(S state) {
    return " " + column + " = " + literal(state);
  }

  /** Any of {@code states}: {@code column IN (…)} (with a leading space). */
  @SafeVarargs
  public final String in(S... any) {
    Set<S> set = EnumSet.noneOf(states);
    set.addAll(Arrays.asList(any));
    return in(set);
  }

  /** The states with no way out: {@code column IN (…)} (with a leading space). */
  public String isFinal() {
    return in(byFinality(true));
  }

  /** The states that may still move: {@code column IN (…)} (with a leading space). */
  public String isOpen() {
    return in(byFinality(false));
  }

  private Set<S> byFinality(boolean wanted) {
    Set<S> out = EnumSet.noneOf(states);
    for (S s : states.getEnumConstants()) {
      boolean end = Arrays.stream(states.getEnumConstants()).noneMatch(n -> canBecome.test(s, n));
      if (end == wanted) out.add(s);
    }
    return out;
  }

  private Set<S> predecessorsOf(S target) {
    Set<S> from = EnumSet.noneOf(states);
    for (S s : states.getEnumConstants()) if (canBecome.test(s, target)) from.add(s);
    return from;
  }

  private String in(Set<S> any) {
    return " "
        + column
        + " IN ("
        + any.stream().map(this::literal).sorted().collect(Collectors.joining(","))
        + ")";
  }

  private String literal(S state) {
    return "'" + state.name() + "'";
  }
}
