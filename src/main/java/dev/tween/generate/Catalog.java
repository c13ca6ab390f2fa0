package dev.tween.generate;

import java.util.LinkedHashMap;
import java.util.Map;

/** The generators one node serves, by name, in the configured order. */
public final class Catalog {
  private final Map<String, Model> byName = new LinkedHashMap<>();

  /** {@code models}: by the name routes and tasks give them, in the configured order. */
  public Catalog(Map<String, ? extends Model> models) {
    if (models.isEmpty()) throw new IllegalArgumentException("a node needs a generator");
    byName.putAll(models);
  }

  /** The generator named; the empty name is the first (tasks from before per-model routes). */
  public Model get(String name) {
    Model m = name.isEmpty() ? byName.values().iterator().next() : byName.get(name);
    if (m == null)
      throw new IllegalArgumentException("generator " + name + " is not configured on this node");
    return m;
  }
}
