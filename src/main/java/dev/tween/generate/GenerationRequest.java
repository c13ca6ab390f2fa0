package dev.tween.generate;

/** What a generator gets: the two input frames as raw JPEG/PNG bytes and the validated options. */
public record GenerationRequest(
    InputImage firstFrame, InputImage lastFrame, VideoOptions options) {}
