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
 */
public record S3Settings(URI endpoint, String region, String bucket, String prefix, String accessKey, String secretKey) {

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
    }

    @Override
    public String toString() {
        // the secret stays out of logs and error messages
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                + ", accessKey=" + accessKey + ", secretKey=****]";
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, got "
                    + (value == null ? "null" : "'" + value + "'"));
        }
    }
}
