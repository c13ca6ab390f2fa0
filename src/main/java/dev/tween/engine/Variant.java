package dev.tween.engine;

import java.util.SplittableRandom;

/**
 * How one sample moves from the first frame to the last: its timing curve and a small camera drift
 * (translation and zoom that vanish at both ends, so first and last frames stay exact). Samples of
 * one request share the motion analysis and differ only here.
 */
record Variant(Curve curve, double driftX, double driftY, double zoom) {

  /** Straight linear timing, no drift: what the quality bench measures. */
  static final Variant LINEAR = new Variant(Curve.LINEAR, 0, 0, 0);

  /**
   * Sample {@code index} of a request with {@code seed}: a deterministic, visibly different
   * variant.
   */
  static Variant forSample(long seed, int index, int width, int height) {
    var r = new SplittableRandom(seed * 1_000_003L + index * 7919L + 17);
    Curve[] eased = {Curve.SMOOTHSTEP, Curve.SINE, Curve.CUBIC, Curve.SMOOTHERSTEP};
    Curve curve = eased[(int) ((seed + index) % eased.length)];
    if (index == 0) return new Variant(curve, 0, 0, 0);
    double angle = r.nextDouble() * 2 * Math.PI;
    double amplitude = Math.min(width, height) * (0.015 + 0.02 * r.nextDouble());
    double zoom = (r.nextBoolean() ? 1 : -1) * (0.01 + 0.02 * r.nextDouble());
    return new Variant(curve, amplitude * Math.cos(angle), amplitude * Math.sin(angle), zoom);
  }

  /** Eased progress for linear time {@code t} in [0,1]. */
  double ease(double t) {
    return curve.apply(Math.max(0, Math.min(1, t)));
  }

  /** Drift envelope: 0 at both ends, 1 in the middle. */
  static double bump(double t) {
    return Math.sin(Math.PI * t);
  }

  enum Curve {
    LINEAR {
      double apply(double t) {
        return t;
      }
    },
    SMOOTHSTEP {
      double apply(double t) {
        return t * t * (3 - 2 * t);
      }
    },
    SMOOTHERSTEP {
      double apply(double t) {
        return t * t * t * (t * (6 * t - 15) + 10);
      }
    },
    SINE {
      double apply(double t) {
        return 0.5 - 0.5 * Math.cos(Math.PI * t);
      }
    },
    CUBIC {
      double apply(double t) {
        return t < 0.5 ? 4 * t * t * t : 1 - Math.pow(-2 * t + 2, 3) / 2;
      }
    };

    abstract double apply(double t);
  }
}
