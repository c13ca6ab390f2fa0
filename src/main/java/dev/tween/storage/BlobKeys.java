package dev.tween.storage;

/** The key layout of blob storage, in one place. */
public final class BlobKeys {
  private BlobKeys() {}

  public static String video(String taskId, int index) {
    return "videos/" + taskId + "/" + index + ".mp4";
  }

  /** The poster (thumbnail) of a task's first sample. */
  public static String poster(String taskId) {
    return "videos/" + taskId + "/poster.jpg";
  }

  public static String input(String taskId, String which, String extension) {
    return "inputs/" + taskId + "/" + which + "." + extension;
  }

  public static String inputsOf(String taskId) {
    return "inputs/" + taskId;
  }

  /** The folder of a task's samples and poster. */
  public static String videosOf(String taskId) {
    return "videos/" + taskId;
  }
}
