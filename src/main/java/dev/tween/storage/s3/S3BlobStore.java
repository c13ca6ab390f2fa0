package dev.tween.storage.s3;

import dev.tween.storage.BlobStore;
import dev.tween.storage.StorageUnreachableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs as S3 objects. A PUT or a completed multipart upload makes an object visible whole or not
 * at all, so a node killed mid-upload leaves nothing readable (an unfinished multipart upload stays
 * invisible; a bucket lifecycle rule removes its parts). The only class that touches the AWS SDK.
 */
final class S3BlobStore implements BlobStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
  static final long MULTIPART_THRESHOLD = 16L << 20;
  static final long PART_SIZE = 16L << 20;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

  /** The most keys one DeleteObjects request may name. */
  static final int DELETE_BATCH = 1000;

  private final S3Settings settings;
  private final S3Client s3;
  private final S3Presigner presigner;
  private final long multipartThreshold;
  private final long partSize;

  /** Set once the server answered DeleteObjects "not implemented": one DELETE per object then. */
  private final AtomicBoolean singleDeletes = new AtomicBoolean();

  S3BlobStore(S3Settings settings, long multipartThreshold, long partSize) {
    this.settings = settings;
    this.multipartThreshold = multipartThreshold;
    this.partSize = partSize;
    var credentials = DefaultCredentialsProvider.builder().build();
    var serviceConfig = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle());
    var client =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(
                        Duration.ofSeconds(
                            2)) // an unreachable bucket is noticed (and 503 answered) quickly
                    .socketTimeout(Duration.ofSeconds(60)));
    var presign =
        S3Presigner.builder().region(Region.of(settings.region())).credentialsProvider(credentials);
    settings
        .endpoint()
        .ifPresent(
            endpoint -> {
              // S3-compatible servers often reject the SDK's default CRC trailers and aws-chunked
              // bodies.
              // DeleteObjects: many such servers want Content-MD5 rather than the SDK's CRC32.
              client
                  .endpointOverride(endpoint)
                  .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                  .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                  .addPlugin(LegacyMd5Plugin.create());
              serviceConfig.chunkedEncodingEnabled(false);
              presign.endpointOverride(endpoint);
            });
    this.s3 = client.serviceConfiguration(serviceConfig.build()).build();
    this.presigner = presign.serviceConfiguration(serviceConfig.build()).build();
  }

  /** A store for {@code settings}; credentials come from the standard AWS variables and files. */
  public static S3BlobStore open(S3Settings settings) {
    return new S3BlobStore(settings, MULTIPART_THRESHOLD, PART_SIZE);
  }

  private String objectKey(String key) {
    if (key.isBlank() || key.startsWith("/") || key.contains(".."))
      throw new IllegalArgumentException("bad blob key " + key);
    return settings.objectKey(key);
  }

  @Override
  public void put(String key, Path file, String contentType) throws IOException {
    String k = objectKey(key);
    long size = java.nio.file.Files.size(file);
    try {
      if (size > multipartThreshold) {
        putMultipart(k, file, size, contentType);
      } else {
        s3.putObject(
            b -> b.bucket(settings.bucket()).key(k).contentType(contentType).contentLength(size),
            RequestBody.fromFile(file));
      }
    } catch (SdkException e) {
      throw failure("put", k, e);
    }
  }

  @Override
  public void put(String key, byte[] bytes, String contentType) throws IOException {
    String k = objectKey(key);
    try {
      s3.putObject(
          b ->
              b.bucket(settings.bucket())
                  .key(k)
                  .contentType(contentType)
                  .contentLength((long) bytes.length),
          RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw failure("put", k, e);
    }
  }

  /**
   * Parts of {@code partSize}; the object appears only on completion, and a failure aborts the
   * upload.
   */
  private void putMultipart(String k, Path file, long size, String contentType) throws IOException {
    String bucket = settings.bucket();
    String uploadId =
        s3.createMultipartUpload(b -> b.bucket(bucket).key(k).contentType(contentType)).uploadId();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      List<CompletedPart> parts = new ArrayList<>();
      for (long offset = 0; offset < size; offset += partSize) {
        int number = parts.size() + 1;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(partSize, size - offset));
        while (buf.hasRemaining()) {
          if (ch.read(buf, offset + buf.position()) < 0)
            throw new IOException(file + " shrank while uploading");
        }
        buf.flip();
        long length = buf.remaining();
        String etag =
            s3.uploadPart(
                    b ->
                        b.bucket(bucket)
                            .key(k)
                            .uploadId(uploadId)
                            .partNumber(number)
                            .contentLength(length),
                    RequestBody.fromByteBuffer(buf))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      s3.completeMultipartUpload(
          b -> b.bucket(bucket).key(k).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
      log.info("event=s3_multipart_uploaded key={} bytes={} parts={}", k, size, parts.size());
    } catch (IOException | RuntimeException e) {
      abort(k, uploadId);
      throw e;
    }
  }

  private void abort(String k, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(k).uploadId(uploadId));
    } catch (SdkException e) {
      log.warn("event=s3_multipart_abort_failed key={} error=\"{}\"", k, e.toString());
    }
  }

  @Override
  public Optional<Long> size(String key) throws IOException {
    String k = objectKey(key);
    try {
      return Optional.of(s3.headObject(b -> b.bucket(settings.bucket()).key(k)).contentLength());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) return Optional.empty();
      throw failure("head", k, e);
    } catch (SdkException e) {
      throw failure("head", k, e);
    }
  }

  @Override
  public InputStream open(String key, long offset, long length) throws IOException {
    String k = objectKey(key);
    if (length <= 0) return InputStream.nullInputStream();
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    try {
      return s3.getObject(b -> b.bucket(settings.bucket()).key(k).range(range));
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(key);
    } catch (SdkException e) {
      throw failure("get", k, e);
    }
  }

  @Override
  public void deletePrefix(String prefix) throws IOException {
    delete(list(prefix).stream().map(Listed::key).toList());
  }

  @Override
  public List<Listed> list(String prefix) throws IOException {
    String p = objectKey(prefix);
    String dir = p.endsWith("/") ? p : p + "/";
    return listUnder(dir);
  }

  /** Every object whose key starts with {@code objectPrefix}, as blob keys. */
  private List<Listed> listUnder(String objectPrefix) throws IOException {
    int strip = settings.objectKey("").length();
    List<Listed> out = new ArrayList<>();
    try {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(objectPrefix))
              .contents()) {
        out.add(new Listed(o.key().substring(strip), o.size()));
      }
      return out;
    } catch (SdkException e) {
      throw failure("list", objectPrefix, e);
    }
  }

  @Override
  public void delete(Collection<String> keys) throws IOException {
    List<String> all = keys.stream().map(this::objectKey).distinct().toList();
    for (int from = 0; from < all.size(); from += DELETE_BATCH) {
      List<String> batch = all.subList(from, Math.min(all.size(), from + DELETE_BATCH));
      if (singleDeletes.get()) deleteOneByOne(batch);
      else deleteBatch(batch);
    }
  }

  private void deleteBatch(List<String> batch) throws IOException {
    List<ObjectIdentifier> ids =
        batch.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
    DeleteObjectsResponse r;
    try {
      r =
          s3.deleteObjects(
              b -> b.bucket(settings.bucket()).delete(d -> d.objects(ids).quiet(true)));
    } catch (S3Exception e) {
      if (e.statusCode() == 501 || "NotImplemented".equals(errorCode(e))) {
        log.warn(
            "event=s3_batch_delete_unsupported bucket={} hint=\"deleting one object per request\"",
            settings.bucket());
        singleDeletes.set(true);
        deleteOneByOne(batch);
        return;
      }
      throw failure("delete", batch.getFirst(), e);
    } catch (SdkException e) {
      throw failure("delete", batch.getFirst(), e);
    }
    if (r.hasErrors() && !r.errors().isEmpty()) {
      var first = r.errors().getFirst();
      throw new IOException(
          "S3 DeleteObjects left "
              + r.errors().size()
              + " of "
              + batch.size()
              + " objects, first "
              + first.key()
              + ": "
              + first.code()
              + " "
              + first.message());
    }
  }

  private void deleteOneByOne(List<String> batch) throws IOException {
    for (String k : batch) {
      try {
        s3.deleteObject(b -> b.bucket(settings.bucket()).key(k));
      } catch (SdkException e) {
        throw failure("delete", k, e);
      }
    }
  }

  private static String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
  }

  @Override
  public Usage usage() throws IOException {
    long objects = 0;
    long bytes = 0;
    String prefix = settings.objectKey("");
    try {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(prefix)).contents()) {
        objects++;
        bytes += o.size();
      }
      return new Usage(objects, bytes);
    } catch (SdkException e) {
      throw failure("list", prefix, e);
    }
  }

  @Override
  public Optional<String> directUrl(String key, Duration ttl) {
    if (!settings.presign()) return Optional.empty();
    String k = objectKey(key);
    return Optional.of(
        presigner
            .presignGetObject(
                r ->
                    r.signatureDuration(ttl)
                        .getObjectRequest(g -> g.bucket(settings.bucket()).key(k)))
            .url()
            .toString());
  }

  @Override
  public boolean reachable() {
    try {
      s3.headBucket(
          b ->
              b.bucket(settings.bucket())
                  .overrideConfiguration(o -> o.apiCallTimeout(READY_TIMEOUT)));
      return true;
    } catch (SdkException e) {
      log.debug("event=s3_unreachable bucket={} error=\"{}\"", settings.bucket(), e.toString());
      return false;
    }
  }

  /** No answer, or a 5xx: the bucket is unreachable, not the request wrong. */
  private static IOException failure(String op, String key, SdkException e) {
    String message = "S3 " + op + " " + key + " failed: " + e.getMessage();
    boolean unreachable =
        e instanceof software.amazon.awssdk.core.exception.SdkClientException
            || e instanceof S3Exception s && s.statusCode() >= 500;
    return unreachable ? new StorageUnreachableException(message, e) : new IOException(message, e);
  }

  @Override
  public void close() {
    presigner.close();
    s3.close();
  }
}
