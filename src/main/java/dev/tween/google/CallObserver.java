package dev.tween.google;

/** Told about each call to Google: (submit|poll|download, ok|HTTP code), for metrics. */
@FunctionalInterface
public interface CallObserver {
  void call(String call, String outcome);
}
