package dev.tween.engine;

import java.util.SplittableRandom;

/**
 * A quiet ambient bed for {@code generate_audio}: a low drone of two detuned partials with a slow
 * swell, plus soft filtered noise ("room tone"), faded in and out. Deterministic from the seed;
 * produced in video-frame-sized chunks so nothing is held for the whole clip.
 */
final class AmbientAudio {
  static final int SAMPLES_PER_FRAME = Mp4Writer.AUDIO_RATE / Mp4Writer.FPS;
  private static final double FADE_SECONDS = 0.5;

  private final long totalSamples;
  private final double f1;
  private final double f2;
  private final double swell;
  private final SplittableRandom noise;
  private long position;
  private double lowL;
  private double lowR;

  AmbientAudio(long seed, int frames) {
    var r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x5EED);
    this.totalSamples = (long) frames * SAMPLES_PER_FRAME;
    this.f1 = 55 * Math.pow(2, r.nextInt(12) / 12.0);
    this.f2 = f1 * (1.5 + (r.nextDouble() - 0.5) * 0.01);
    this.swell = 0.05 + r.nextDouble() * 0.1;
    this.noise = r.split();
  }

  /** The next chunk of interleaved stereo samples, one video frame long. */
  short[] nextChunk() {
    short[] out = new short[SAMPLES_PER_FRAME * 2];
    for (int i = 0; i < SAMPLES_PER_FRAME; i++, position++) {
      double t = (double) position / Mp4Writer.AUDIO_RATE;
      double env = envelope(position);
      double drone = 0.5 * Math.sin(2 * Math.PI * f1 * t) + 0.3 * Math.sin(2 * Math.PI * f2 * t);
      drone *= 0.6 + 0.4 * Math.sin(2 * Math.PI * swell * t);
      lowL += 0.02 * ((noise.nextDouble() * 2 - 1) - lowL);
      lowR += 0.02 * ((noise.nextDouble() * 2 - 1) - lowR);
      out[2 * i] = pcm(env * (0.18 * drone + 0.5 * lowL));
      out[2 * i + 1] = pcm(env * (0.18 * drone + 0.5 * lowR));
    }
    return out;
  }

  private double envelope(long n) {
    double fade = FADE_SECONDS * Mp4Writer.AUDIO_RATE;
    return Math.min(1, Math.min(n / fade, (totalSamples - 1 - n) / fade));
  }

  private static short pcm(double v) {
    return (short) Math.round(Math.max(-1, Math.min(1, v)) * 12_000);
  }
}
