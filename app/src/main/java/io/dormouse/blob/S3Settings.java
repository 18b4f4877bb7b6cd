package io.dormouse.blob;

import java.net.URI;

/**
 * Where an S3 bucket is and how to sign requests to it.
 *
 * @param endpoint  the S3 API endpoint, e.g. {@code https://s3.eu-central-1.amazonaws.com} or a MinIO /
 *                  S3Proxy address; null for AWS's default endpoint of the region
 * @param region    signing region, e.g. {@code eu-central-1}
 * @param bucket    the bucket, which must exist
 * @param prefix    key prefix inside the bucket ({@code ""} or ending in '/'), so stores can share a bucket
 * @param accessKey static access key id
 * @param secretKey static secret access key
 * @param multipartThreshold objects larger than this are uploaded in parts of this size (at least 5 MiB, S3's
 *                           smallest part)
 */
public record S3Settings(URI endpoint, String region, String bucket, String prefix, String accessKey, String secretKey,
                         long multipartThreshold) {

    public static final long DEFAULT_MULTIPART_THRESHOLD = 32L << 20;
    static final long MIN_PART = 5L << 20;

    public S3Settings {
        if (endpoint != null && !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
            throw new IllegalArgumentException("endpoint must be an http or https URI, got " + endpoint);
        }
        require("region", region);
        require("bucket", bucket);
        require("accessKey", accessKey);
        require("secretKey", secretKey);
        if (prefix == null || !(prefix.isEmpty() || prefix.endsWith("/")) || prefix.startsWith("/")) {
            throw new IllegalArgumentException("prefix must be empty or end in '/' (and not start with one), got "
                    + (prefix == null ? "null" : "'" + prefix + "'"));
        }
        if (multipartThreshold < MIN_PART) {
            throw new IllegalArgumentException("multipartThreshold must be at least " + MIN_PART
                    + " bytes (S3's smallest part), got " + multipartThreshold);
        }
    }

    public S3Settings(URI endpoint, String region, String bucket, String prefix, String accessKey, String secretKey) {
        this(endpoint, region, bucket, prefix, accessKey, secretKey, DEFAULT_MULTIPART_THRESHOLD);
    }

    @Override
    public String toString() {
        // the secret stays out of logs and error messages
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                + ", accessKey=" + accessKey + ", secretKey=****, multipartThreshold=" + multipartThreshold + "]";
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, got "
                    + (value == null ? "null" : "'" + value + "'"));
        }
    }
}
