package dev.tween.config;

/**
 * One deployment as configured: a place where one upstream generator's operations run, with the
 * limits tween holds it to across every node that shares the database.
 *
 * @param name unique, {@code [a-z0-9-]+}; names the deployment in metrics, logs and resume state
 * @param generator {@code veo}, {@code omni} or {@code comfyui}
 * @param maxConcurrent operations running upstream at once, cluster-wide
 * @param requestsPerMinute creates in any rolling minute, cluster-wide; 0: no limit
 * @param fields the generator's own fields (project, location, credentials, base_url, …), read by
 *     the package that talks to it
 */
public record DeploymentSpec(
    String name,
    String generator,
    int maxConcurrent,
    int requestsPerMinute,
    DeploymentFields fields) {
  public DeploymentSpec {
    if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent " + maxConcurrent);
    if (requestsPerMinute < 0) throw new IllegalArgumentException("rpm " + requestsPerMinute);
  }
}
