package dev.tween.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models a node serves and the submit routes that reach them. One generator: it answers on
 * {@code --submit-route} and its aliases with the seed's task type, exactly as before. Several:
 * each has its own route and task type, like the hosted API family; the submit route and aliases,
 * where no model claims them, go to the first.
 */
record Models(List<Model> models) {

  /**
   * A model as clients see it: its generator, its name for people, the routes that take its
   * submits, its {@code task_type}.
   */
  public record Model(
      String generator,
      String name,
      @JsonProperty("task_type") String taskType,
      List<String> routes) {

    /** A model named after its generator: what people call it, not its internal task type. */
    public Model(String generator, String taskType, List<String> routes) {
      this(generator, NAMES.getOrDefault(generator, generator), taskType, routes);
    }
  }

  private static final Map<String, String> NAMES =
      Map.of(
          "local", "Local engine (CPU)",
          "veo", "Veo 3.1 Lite",
          "omni", "Gemini Omni Flash",
          "comfyui", "ComfyUI");

  public static final String SEED_ROUTE = "/v3/async/veo-3.1-lite-flf2v";
  public static final String SEED_TASK_TYPE = "VEO_3_1_LITE_FLF2V";

  private static final Map<String, Model> OWN =
      Map.of(
          "veo", new Model("veo", SEED_TASK_TYPE, List.of(SEED_ROUTE)),
          "omni",
              new Model(
                  "omni", "GEMINI_OMNI_FLASH_FLF2V", List.of("/v3/async/gemini-omni-flash-flf2v")),
          "local", new Model("local", "TWEEN_LOCAL_FLF2V", List.of("/v3/async/tween-local-flf2v")),
          "comfyui", new Model("comfyui", "COMFYUI_FLF2V", List.of("/v3/async/comfyui-flf2v")));

  public static Models of(List<String> generators, String submitRoute, List<String> aliases) {
    List<String> extra = new ArrayList<>();
    extra.add(submitRoute);
    extra.addAll(aliases);
    if (generators.size() == 1)
      return new Models(List.of(new Model(generators.getFirst(), SEED_TASK_TYPE, extra)));
    Map<String, List<String>> routes = new LinkedHashMap<>();
    for (String g : generators) routes.put(g, new ArrayList<>(OWN.get(g).routes()));
    for (String path : extra) {
      if (routes.values().stream().noneMatch(r -> r.contains(path)))
        routes.get(generators.getFirst()).add(path);
    }
    return new Models(
        generators.stream()
            .map(g -> new Model(g, OWN.get(g).taskType(), List.copyOf(routes.get(g))))
            .toList());
  }

  /**
   * The task type of a task made by {@code generator} (empty: the first, for rows from before
   * routes).
   */
  public String taskType(String generator) {
    return models.stream()
        .filter(m -> m.generator().equals(generator))
        .findFirst()
        .orElse(models.getFirst())
        .taskType();
  }
}
