package dev.tween.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void fieldsWithCommasOrQuotesAreQuotedAndOthersLeftAlone() {
    assertThat(Csv.field("object 40 px, still camera")).isEqualTo("\"object 40 px, still camera\"");
    assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(Csv.field("warp (local)")).isEqualTo("warp (local)");
  }
}
