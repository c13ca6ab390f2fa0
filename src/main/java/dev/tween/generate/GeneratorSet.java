package dev.tween.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generators one node serves, as one {@link Generator} for the workers: each task runs on the
 * generator its submit route named ({@link GenerationJob#generator()}), an unnamed one on the
 * first. Notes for request fields the chosen generator ignores are added to the result.
 */
public final class GeneratorSet implements Generator, AutoCloseable {
  private final Map<String, Generator> byName = new LinkedHashMap<>();

  public GeneratorSet(List<Generator> generators) {
    if (generators.isEmpty()) throw new IllegalArgumentException("a node needs a generator");
    for (Generator g : generators) byName.put(g.name(), g);
  }

  public Generator get(String name) {
    Generator g = name.isEmpty() ? byName.values().iterator().next() : byName.get(name);
    if (g == null)
      throw new IllegalArgumentException("generator " + name + " is not configured on this node");
    return g;
  }

  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  @Override
  public String name() {
    return String.join(",", byName.keySet());
  }

  @Override
  public void checkSupported(VideoOptions options) throws UnsupportedRequestException {
    get("").checkSupported(options);
  }

  @Override
  public GenerationResult generate(GenerationJob job) throws GenerationException {
    Generator g;
    try {
      g = get(job.generator());
    } catch (IllegalArgumentException e) {
      throw GenerationException.permanent(
          e.getMessage() + "; run it with --generator including " + job.generator());
    }
    GenerationResult r = g.generate(job);
    List<String> notes = new ArrayList<>();
    if (!r.note().isEmpty()) notes.add(r.note());
    notes.addAll(g.capabilities().ignored(job.request().options()));
    return new GenerationResult(r.samples(), r.filtered(), String.join("; ", notes));
  }

  @Override
  public void close() throws Exception {
    for (Generator g : byName.values()) if (g instanceof AutoCloseable c) c.close();
  }
}
