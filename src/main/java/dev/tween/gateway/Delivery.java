package dev.tween.gateway;

import java.util.List;

/**
 * What a finished operation delivered.
 *
 * @param samples sample files written, {@code 0 .. samples-1} of the operation's {@link
 *     SampleFiles}
 * @param filtered samples upstream made but withheld (safety filters, refusals); not charged
 * @param notes remarks for the task's {@code reason}, each a sentence a person can act on
 */
public record Delivery(int samples, int filtered, List<String> notes) {
  public Delivery {
    if (samples < 0 || filtered < 0) throw new IllegalArgumentException(samples + "/" + filtered);
    notes = List.copyOf(notes);
  }
}
