package dev.tween.generate;

import java.util.Optional;

/**
 * Everything a request asks for besides its two frames, validated against the API contract with
 * defaults filled in. The same record travels from the HTTP layer through the task store to the
 * generators. {@code seedGiven} tells a client-chosen seed from the random one tween picked.
 */
public record VideoOptions(
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

  public VideoOptions {
    if (sampleCount < 1 || sampleCount > 4)
      throw new IllegalArgumentException("sampleCount " + sampleCount);
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

  public enum Resolution implements WireValue {
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

    @Override
    public String wire() {
      return wire;
    }

    public int longSide() {
      return longSide;
    }

    public int shortSide() {
      return shortSide;
    }

    public static Optional<Resolution> fromWire(String s) {
      return WireValue.parse(Resolution.class, s);
    }
  }

  public enum AspectRatio implements WireValue {
    LANDSCAPE("16:9"),
    PORTRAIT("9:16");

    private final String wire;

    AspectRatio(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static Optional<AspectRatio> fromWire(String s) {
      return WireValue.parse(AspectRatio.class, s);
    }
  }

  public enum PersonGeneration implements WireValue {
    ALLOW_ADULT("allow_adult"),
    DONT_ALLOW("dont_allow");

    private final String wire;

    PersonGeneration(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static Optional<PersonGeneration> fromWire(String s) {
      return WireValue.parse(PersonGeneration.class, s);
    }
  }
}
