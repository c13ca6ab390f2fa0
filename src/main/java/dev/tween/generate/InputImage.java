package dev.tween.generate;

/** Raw bytes of a JPEG or PNG input frame (format sniffed from the bytes, never from a name). */
public record InputImage(byte[] bytes, Format format) {

  public enum Format {
    JPEG("image/jpeg"),
    PNG("image/png");

    private final String mimeType;

    Format(String mimeType) {
      this.mimeType = mimeType;
    }

    public String mimeType() {
      return mimeType;
    }
  }
}
