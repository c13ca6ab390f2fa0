package dev.tween.engine;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Encodes I420 (or BGR) frames one at a time into an H.264 (libx264, yuv420p) MP4 with faststart,
 * plus an optional AAC track. Settings are fixed (threads, GOP, bit-exact muxing) so the same
 * frames give the same bytes on every run and machine.
 */
final class Mp4Writer implements AutoCloseable {
  static final int FPS = 24;
  static final int AUDIO_RATE = 48_000;

  /** Encoder settings; the speed bench encodes with exactly these. */
  static final String PRESET = "veryfast";

  static final String CRF = "18";

  static {
    // libx264 and the muxer print statistics to stderr by default; only errors belong in our logs.
    org.bytedeco.ffmpeg.global.avutil.av_log_set_level(
        org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
  }

  private final FFmpegFrameRecorder recorder;
  private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
  private final boolean audio;
  private boolean closed;

  Mp4Writer(Path file, int width, int height, boolean audio) throws IOException {
    this(file, width, height, FPS, audio);
  }

  /** A writer at another frame rate than the contract's 24 (upstream videos keep their own). */
  Mp4Writer(Path file, int width, int height, double fps, boolean audio) throws IOException {
    this.audio = audio;
    recorder = new FFmpegFrameRecorder(file.toFile(), width, height, audio ? 2 : 0);
    recorder.setFormat("mp4");
    recorder.setVideoCodecName("libx264");
    recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
    recorder.setFrameRate(fps);
    recorder.setGopSize((int) Math.max(1, Math.round(fps * 2)));
    recorder.setVideoOption("preset", PRESET);
    recorder.setVideoOption("crf", CRF);
    recorder.setVideoOption("threads", "2");
    recorder.setVideoOption("flags", "+bitexact");
    // The frames are BT.601, limited range (Yuv); say so in the stream, or players guess BT.709 for
    // HD sizes and shift the colours.
    recorder.setVideoOption("colorspace", "smpte170m");
    recorder.setVideoOption("color_primaries", "smpte170m");
    recorder.setVideoOption("color_trc", "smpte170m");
    recorder.setVideoOption("color_range", "tv");
    recorder.setOption("movflags", "+faststart");
    recorder.setOption("fflags", "+bitexact");
    if (audio) {
      recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
      recorder.setSampleRate(AUDIO_RATE);
      recorder.setAudioChannels(2);
      recorder.setAudioBitrate(128_000);
      recorder.setAudioOption("flags", "+bitexact");
    }
    try {
      recorder.start();
    } catch (FrameRecorder.Exception e) {
      throw new IOException("cannot start the H.264 encoder: " + e.getMessage(), e);
    }
    if (!"libx264".equals(recorder.getVideoCodecName())
        && recorder.getVideoCodec() != avcodec.AV_CODEC_ID_H264) {
      throw new IOException(
          "the FFmpeg build has no libx264 encoder (got codec " + recorder.getVideoCodec() + ")");
    }
  }

  /**
   * Appends one I420 frame ({@link Yuv}, the output size): handed to the encoder as it is, with no
   * conversion.
   */
  void write(Mat i420) throws IOException {
    try {
      recorder.recordImage(
          i420.cols(),
          i420.rows() * 2 / 3,
          Frame.DEPTH_UBYTE,
          1,
          i420.cols(),
          AV_PIX_FMT_YUV420P,
          i420.createBuffer());
    } catch (FrameRecorder.Exception e) {
      throw new IOException("encoding a frame failed: " + e.getMessage(), e);
    }
  }

  /** Appends one BGR frame (8UC3, the output size), converted by FFmpeg. */
  void writeBgr(Mat bgr) throws IOException {
    try (Frame f = converter.convert(bgr)) {
      recorder.record(f, AV_PIX_FMT_BGR24);
    } catch (FrameRecorder.Exception e) {
      throw new IOException("encoding a frame failed: " + e.getMessage(), e);
    }
  }

  /** Appends interleaved stereo 16-bit samples at 48 kHz. */
  void writeAudio(short[] interleavedStereo) throws IOException {
    if (!audio) throw new IllegalStateException("this writer has no audio track");
    try {
      recorder.recordSamples(AUDIO_RATE, 2, ShortBuffer.wrap(interleavedStereo));
    } catch (FrameRecorder.Exception e) {
      throw new IOException("encoding audio failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      recorder.stop();
      recorder.release();
    } catch (FrameRecorder.Exception e) {
      throw new IOException("finishing the MP4 failed: " + e.getMessage(), e);
    } finally {
      converter.close();
    }
  }
}
