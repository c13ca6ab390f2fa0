package dev.tween.generate;

import java.util.Optional;

/**
 * A validated submit request as generators see it: every field already checked against the API
 * contract, defaults filled in, images already decoded from their transport form to raw bytes.
 * {@code seedGiven} tells a client-chosen seed from the random one tween picked.
 */
public record GenerationRequest(
    InputImage firstFrame,
    InputImage lastFrame,
    String prompt,
    Optional<String> negativePrompt,
    int durationSeconds,
    Resolution resolution,
    AspectRatio aspectRatio,
    int sampleCount,
    long seed,
    boolean seedGiven,
    boolean enhancePrompt,
    boolean generateAudio,
    PersonGeneration personGeneration) {

  public static final int FPS = 24;

  public GenerationRequest {
    if (sampleCount < 1 || sampleCount > 4) throw new IllegalArgumentException("sampleCount " + sampleCount);
    if (seed < 0 || seed > 0xFFFF_FFFFL) throw new IllegalArgumentException("seed " + seed);
  }

  public int frameCount() {
    return durationSeconds * FPS;
  }

  public int width() {
    return aspectRatio == AspectRatio.LANDSCAPE ? resolution.longSide() : resolution.shortSide();
  }

  public int height() {
    return aspectRatio == AspectRatio.LANDSCAPE ? resolution.shortSide() : resolution.longSide();
  }

  public enum Resolution {
    P720("720p", 1280, 720),
    P1080("1080p", 1920, 1080);

    private final String wire;
    private final int longSide;
    private final int shortSide;

    Resolution(String wire, int longSide, int shortSide) {
      this.wire = wire;
      this.longSide = longSide;
      this.shortSide = shortSide;
    }

    public String wire() { return wire; }
    public int longSide() { return longSide; }
    public int shortSide() { return shortSide; }

    public static Optional<Resolution> fromWire(String s) {
      for (Resolution r : values()) if (r.wire.equals(s)) return Optional.of(r);
      return Optional.empty();
    }
  }

  public enum AspectRatio {
    LANDSCAPE("16:9"),
    PORTRAIT("9:16");

    private final String wire;

    AspectRatio(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    public static Optional<AspectRatio> fromWire(String s) {
      for (AspectRatio a : values()) if (a.wire.equals(s)) return Optional.of(a);
      return Optional.empty();
    }
  }

  public enum PersonGeneration {
    ALLOW_ADULT("allow_adult"),
    DONT_ALLOW("dont_allow");

    private final String wire;

    PersonGeneration(String wire) { this.wire = wire; }

    public String wire() { return wire; }

    public static Optional<PersonGeneration> fromWire(String s) {
      for (PersonGeneration p : values()) if (p.wire.equals(s)) return Optional.of(p);
      return Optional.empty();
    }
  }
}
