package dev.tween.storage.s3;

import java.net.URI;
import java.util.Optional;

/**
 * Where and how to reach S3: {@code storage-url} {@code s3://bucket/prefix}, an optional endpoint
 * for S3-compatible servers, the region, path-style addressing, and whether clients download videos
 * through presigned S3 URLs ({@code presign}) or through tween-signed links that tween streams.
 */
record S3Settings(
    String bucket,
    String prefix,
    Optional<URI> endpoint,
    String region,
    boolean pathStyle,
    boolean presign) {

  /**
   * Parses {@code s3://bucket} or {@code s3://bucket/some/prefix} (a trailing slash is ignored).
   */
  public static S3Settings of(
      String storageUrl,
      Optional<URI> endpoint,
      String region,
      boolean pathStyle,
      boolean presign) {
    if (!storageUrl.startsWith("s3://"))
      throw new IllegalArgumentException("not an s3:// URL: " + storageUrl);
    String rest = storageUrl.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
    if (bucket.isEmpty())
      throw new IllegalArgumentException("s3:// URL without a bucket: " + storageUrl);
    return new S3Settings(bucket, prefix, endpoint, region, pathStyle, presign);
  }

  /** The object key of a blob key: {@code prefix/key}. */
  String objectKey(String key) {
    return prefix.isEmpty() ? key : prefix + "/" + key;
  }
}
