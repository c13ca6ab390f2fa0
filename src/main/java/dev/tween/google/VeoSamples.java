package dev.tween.google;

import com.google.genai.types.GenerateVideosResponse;
import com.google.genai.types.GeneratedVideo;
import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished Veo operation's videos, written to the job's sample files and verified; samples the
 * safety filters removed are counted (not charged) and named in the note.
 */
final class VeoSamples {
  private final SampleVerifier verifier;

  VeoSamples(SampleVerifier verifier) {
    this.verifier = verifier;
  }

  GenerationResult collect(GenerationJob job, GenerateVideosResponse response)
      throws GenerationException {
    List<GeneratedVideo> videos = response.generatedVideos().orElse(List.of());
    int filtered = response.raiMediaFilteredCount().orElse(0);
    String reasons = String.join("; ", response.raiMediaFilteredReasons().orElse(List.of()));
    if (videos.isEmpty()) {
      throw GenerationException.permanent(
          filtered > 0
              ? "Veo's safety filters removed every sample ("
                  + filtered
                  + "): "
                  + (reasons.isEmpty() ? "no reason given" : reasons)
              : "Veo finished without returning any video and without a reason");
    }
    int asked = job.request().options().sampleCount();
    int n = Math.min(videos.size(), asked);
    for (int i = 0; i < n; i++) {
      if (job.canceled()) throw GenerationException.canceled();
      store(videos.get(i), job.sampleFile(i));
      job.progress(0.9 + 0.1 * (i + 1) / n);
    }
    List<String> notes = new ArrayList<>(VeoRequests.notes(job.request().options()));
    if (n < asked) {
      notes.add(
          0,
          (asked - n)
              + " of "
              + asked
              + " samples were removed by Veo's safety filters"
              + (reasons.isEmpty() ? "" : ": " + reasons));
    }
    return new GenerationResult(n, asked - n, String.join("; ", notes));
  }

  private void store(GeneratedVideo generated, Path target) throws GenerationException {
    var video =
        generated
            .video()
            .orElseThrow(
                () -> GenerationException.permanent("Veo returned a sample without a video"));
    // Without a storageUri Vertex returns the samples inline; tween never asks for Cloud Storage.
    byte[] bytes =
        video
            .videoBytes()
            .orElseThrow(
                () ->
                    GenerationException.permanent(
                        "Veo returned a sample as "
                            + video.uri().orElse("nothing")
                            + " instead of inline bytes"));
    try {
      Files.write(target, bytes);
      verifier.verify(target);
    } catch (IOException e) {
      throw GenerationException.transientFailure(
          "storing a Veo sample failed: " + e.getMessage(), e);
    }
  }
}
