package dev.tween.google;

import com.google.genai.types.GenerateVideosResponse;
import com.google.genai.types.GeneratedVideo;
import dev.tween.gateway.Delivery;
import dev.tween.gateway.SampleFiles;
import dev.tween.gateway.UpstreamException;
import dev.tween.generate.VideoOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished Veo operation's videos, written to sample files and verified; samples the safety
 * filters removed are counted (not charged) and named in the note.
 */
final class VeoSamples {
  private final SampleVerifier verifier;

  VeoSamples(SampleVerifier verifier) {
    this.verifier = verifier;
  }

  Delivery collect(GenerateVideosResponse response, VideoOptions options, SampleFiles out)
      throws UpstreamException {
    List<GeneratedVideo> videos = response.generatedVideos().orElse(List.of());
    int filtered = response.raiMediaFilteredCount().orElse(0);
    String reasons = String.join("; ", response.raiMediaFilteredReasons().orElse(List.of()));
    if (videos.isEmpty()) {
      throw new UpstreamException.Rejected(
          filtered > 0
              ? "Veo's safety filters removed every sample ("
                  + filtered
                  + "): "
                  + (reasons.isEmpty() ? "no reason given" : reasons)
              : "Veo finished without returning any video and without a reason",
          null);
    }
    int asked = options.sampleCount();
    int n = Math.min(videos.size(), asked);
    for (int i = 0; i < n; i++) store(videos.get(i), out.file(i));
    List<String> notes = new ArrayList<>();
    if (n < asked) {
      notes.add(
          (asked - n)
              + " of "
              + asked
              + " samples were removed by Veo's safety filters"
              + (reasons.isEmpty() ? "" : ": " + reasons));
    }
    return new Delivery(n, asked - n, notes);
  }

  private void store(GeneratedVideo generated, Path target) throws UpstreamException {
    var video =
        generated
            .video()
            .orElseThrow(
                () ->
                    new UpstreamException.Rejected("Veo returned a sample without a video", null));
    // Without a storageUri Vertex returns the samples inline; tween never asks for Cloud Storage.
    byte[] bytes =
        video
            .videoBytes()
            .orElseThrow(
                () ->
                    new UpstreamException.Rejected(
                        "Veo returned a sample as "
                            + video.uri().orElse("nothing")
                            + " instead of inline bytes",
                        null));
    try {
      Files.write(target, bytes);
      verifier.verify(target);
    } catch (IOException e) {
      // a damaged download or a full disk: fetching the finished operation again may help
      throw new UpstreamException.Unavailable("storing a Veo sample failed: " + e.getMessage(), e);
    }
  }
}
