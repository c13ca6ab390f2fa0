package dev.tween.keys;

import static dev.tween.keys.ChargeState.CHARGED;
import static dev.tween.keys.ChargeState.RELEASED;
import static dev.tween.keys.ChargeState.RESERVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChargeStateTest {
  @Test
  void aReservationEndsOnceAsChargedOrReleased() {
    assertThat(RESERVED.canBecome(CHARGED)).isTrue();
    assertThat(RESERVED.canBecome(RELEASED)).isTrue();
    for (ChargeState end : new ChargeState[] {CHARGED, RELEASED})
      for (ChargeState s : ChargeState.values()) assertThat(end.canBecome(s)).isFalse();
  }

  @Test
  void itsWritesAreBuiltFromTheTable() {
    assertThat(ChargeState.SQL.to(CHARGED)).isEqualTo("state = 'CHARGED'");
    assertThat(ChargeState.SQL.from(RELEASED)).isEqualTo(" state IN ('RESERVED')");
    assertThat(ChargeState.SQL.of("c").is(RESERVED)).isEqualTo(" c.state = 'RESERVED'");
    assertThat(ChargeState.SQL.isFinal()).isEqualTo(" state IN ('CHARGED','RELEASED')");
    assertThatThrownBy(() -> ChargeState.SQL.to(RESERVED))
        .as("nothing becomes RESERVED: only the insert writes it")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChargeState.SQL.from(CHARGED, RELEASED))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
