package dev.tween.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Removes the audio track of an MP4 in place by copying its video packets into a new container (no
 * re-encoding, so the picture is bit-identical). For upstream models that always make sound.
 */
public final class AudioStrip {
  private AudioStrip() {}

  public static void strip(Path mp4) throws IOException {
    Path tmp = mp4.resolveSibling(mp4.getFileName() + ".noaudio.mp4");
    try (FFmpegFrameGrabber in = new FFmpegFrameGrabber(mp4.toFile())) {
      in.start();
      if (in.getAudioChannels() == 0) return;
      try (FFmpegFrameRecorder out =
          new FFmpegFrameRecorder(tmp.toFile(), in.getImageWidth(), in.getImageHeight(), 0)) {
        out.setFormat("mp4");
        out.setVideoCodec(in.getVideoCodec());
        out.setFrameRate(in.getFrameRate());
        out.start(in.getFormatContext());
        int video = in.getVideoStream();
        AVPacket packet;
        while ((packet = in.grabPacket()) != null) {
          if (packet.stream_index() == video) out.recordPacket(packet);
          avcodec.av_packet_unref(packet);
        }
        out.stop();
      }
      in.stop();
      Files.move(tmp, mp4, StandardCopyOption.REPLACE_EXISTING);
    } catch (FrameGrabber.Exception | FrameRecorder.Exception e) {
      throw new IOException(
          "removing the audio track of " + mp4.getFileName() + " failed: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
