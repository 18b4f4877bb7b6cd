package io.dormouse.blob;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3 bucket (AWS or any S3 API server), addressed path-style so that endpoints
 * without wildcard DNS work. S3 makes each PUT atomic and durable once it is acknowledged; so
 * does a multipart upload once completed, which large objects use. Checksums are sent and checked
 * only where the API requires them: many S3 servers other than AWS reject the SDK's default
 * trailing CRC checksums.
 */
public final class S3BlobStore implements BlobStore {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String name;
    private final long multipartThreshold;

    private S3BlobStore(S3Client s3, S3Settings settings) {
        this.s3 = s3;
        this.bucket = settings.bucket();
        this.prefix = settings.prefix();
        this.multipartThreshold = settings.multipartThreshold();
        this.name = "S3 blob store " + (settings.endpoint() == null ? "" : settings.endpoint() + " ")
                + "bucket " + bucket + (prefix.isEmpty() ? "" : " prefix " + prefix);
    }

    /** A client for the bucket of {@code settings}; close it to release its connections. */
    public static S3BlobStore open(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.region()))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return new S3BlobStore(builder.build(), settings);
    }

    @Override
    public void put(String key, byte[] content, int length) {
        Objects.checkFromIndexSize(0, length, content.length);
        String object = object(key);
        if (length > multipartThreshold) {
            call("writing", key, () -> putInParts(object, content, length));
            return;
        }
        call("writing", key, () -> s3.putObject(r -> r.bucket(bucket).key(object), body(content, 0, length)));
    }

    /** The bytes as a request body, read in place: the SDK's {@code fromBytes} would copy them first. */
    private static RequestBody body(byte[] content, int offset, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(content, offset, length), length,
                "application/octet-stream");
    }

    /** A multipart upload: parts of the threshold's size, the object visible only once completed. */
    private Void putInParts(String object, byte[] content, int contentLength) {
        String upload = s3.createMultipartUpload(r -> r.bucket(bucket).key(object)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int partSize = Math.toIntExact(multipartThreshold);
            for (int offset = 0, number = 1; offset < contentLength; offset += partSize, number++) {
                int length = Math.min(partSize, contentLength - offset);
                int part = number;
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(object).uploadId(upload).partNumber(part)
                        .contentLength((long) length), body(content, offset, length)).eTag();
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(object).uploadId(upload)
                    .multipartUpload(m -> m.parts(parts)));
            return null;
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(object).uploadId(upload));
            } catch (SdkException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    @Override
    public byte[] get(String key) {
        String object = object(key);
        return call("reading", key, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(object)).asByteArray());
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        BlobKeys.range(name, key, offset, length);
        if (length == 0) {
            long size = size(key);
            if (offset > size) {
                throw BlobKeys.outOfRange(name, key, offset, length, size);
            }
            return new byte[0];
        }
        String object = object(key);
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        byte[] bytes;
        try {
            // one request, no HEAD first: restores read thousands of ranges
            bytes = call("reading", key,
                    () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(object).range(range)).asByteArray());
        } catch (BlobException e) {
            if (e.getCause() instanceof S3Exception s3e && s3e.statusCode() == 416) {
                throw BlobKeys.outOfRange(name, key, offset, length, size(key));
            }
            throw e;
        }
        if (bytes.length != length) {
            throw BlobKeys.outOfRange(name, key, offset, length, size(key));
        }
        return bytes;
    }

    @Override
    public boolean exists(String key) {
        try {
            size(key);
            return true;
        } catch (BlobException e) {
            if (e.kind() == BlobException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public long size(String key) {
        String object = object(key);
        return call("reading the size of", key, () -> s3.headObject(r -> r.bucket(bucket).key(object)).contentLength());
    }

    @Override
    public List<BlobInfo> list(String keyPrefix) {
        BlobKeys.prefix(name, keyPrefix);
        String objectPrefix = prefix + keyPrefix;
        return call("listing", keyPrefix, () -> {
            List<BlobInfo> found = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(objectPrefix)).contents()) {
                found.add(new BlobInfo(o.key().substring(prefix.length()), o.size(), o.lastModified()));
            }
            return found;
        });
    }

    @Override
    public boolean delete(String key) {
        if (!exists(key)) {
            return false;
        }
        String object = object(key);
        call("deleting", key, () -> s3.deleteObject(r -> r.bucket(bucket).key(object)));
        return true;
    }

    @Override
    public int removeUnfinished(Instant before) {
        return call("aborting unfinished uploads under", prefix.isEmpty() ? "/" : prefix, () -> {
            int aborted = 0;
            for (MultipartUpload upload : s3.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(prefix)).uploads()) {
                if (upload.initiated().isBefore(before)) {
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                    aborted++;
                }
            }
            return aborted;
        });
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return name;
    }

    private String object(String key) {
        return prefix + BlobKeys.key(name, key);
    }

    private <T> T call(String action, String key, Supplier<T> request) {
        try {
            return request.get();
        } catch (NoSuchKeyException e) {
            throw new BlobException(BlobException.Kind.NOT_FOUND, name + ": no object '" + key + "'");
        } catch (S3Exception e) {
            if (e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode())) {
                throw new BlobException(BlobException.Kind.FAILED, name + ": " + action + " '" + key
                        + "' failed: the bucket does not exist (HTTP 404 NoSuchBucket); create it or correct the bucket name", e);
            }
            if (e.statusCode() == 404) {
                throw new BlobException(BlobException.Kind.NOT_FOUND, name + ": no object '" + key + "'");
            }
            throw new BlobException(BlobException.Kind.FAILED, name + ": " + action + " '" + key + "' failed: HTTP "
                    + e.statusCode() + " " + e.awsErrorDetails().errorCode() + " (" + e.getMessage() + ")", e);
        } catch (SdkException e) {
            throw new BlobException(BlobException.Kind.FAILED, name + ": " + action + " '" + key + "' failed ("
                    + e.getMessage() + ")", e);
        }
    }
}
