package dev.tween.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which of the request's content fields a generator honours. A non-default value of a field it does
 * not honour is not an error, but the task says so in its {@code reason}.
 *
 * @param generator the generator's name, used in the notes
 * @param honoured wire names among {@code prompt}, {@code negative_prompt}, {@code enhance_prompt},
 *     {@code person_generation}
 */
public record Capabilities(String generator, Set<String> honoured) {

  public static final List<String> CONTENT_FIELDS =
      List.of("prompt", "negative_prompt", "enhance_prompt", "person_generation");

  public static Capabilities all(String generator) {
    return new Capabilities(generator, Set.copyOf(CONTENT_FIELDS));
  }

  /**
   * The local engine renders motion between the frames only; it reads no text and no content
   * policy.
   */
  public static Capabilities framesOnly(String generator) {
    return new Capabilities(generator, Set.of());
  }

  /** Notes for the fields this request sets to a non-default value that the generator ignores. */
  public List<String> ignored(VideoOptions r) {
    List<String> set = new ArrayList<>();
    if (!r.prompt().isBlank()) set.add("prompt");
    if (r.negativePrompt().isPresent()) set.add("negative_prompt");
    if (!r.enhancePrompt()) set.add("enhance_prompt");
    if (r.personGeneration() != VideoOptions.PersonGeneration.ALLOW_ADULT)
      set.add("person_generation");
    set.removeAll(honoured);
    return set.isEmpty()
        ? List.of()
        : List.of(
            String.join(", ", set)
                + (set.size() == 1 ? " was" : " were")
                + " ignored: the "
                + generator
                + " generator does not use "
                + (set.size() == 1 ? "it" : "them"));
  }
}
