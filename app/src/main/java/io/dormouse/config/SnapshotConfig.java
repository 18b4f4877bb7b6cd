package io.dormouse.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The snapshot store: where versions live (a directory or an S3 bucket), how they are cut and
 * protected, how long they are kept, and the local cache of materialized versions.
 */
public record SnapshotConfig(Backend backend, Path dir, boolean encryption, Path keyFile, int blockSize, int packSize,
                             S3 s3, Retention retention, Duration gcGrace, Cache cache) {

    static final SnapshotConfig DEFAULTS = new SnapshotConfig(Backend.FILE, Path.of(""), true, Path.of(""), 16 << 10,
            16 << 20, new S3("", "", "", "", "", Secret.NONE, 32L << 20),
            new Retention(3, 7, 4), Duration.ofHours(1), new Cache(Path.of(""), 8L << 30));

    public SnapshotConfig {
        Objects.requireNonNull(backend, "backend");
        dir = dir == null ? Path.of("") : dir;
        keyFile = keyFile == null ? Path.of("") : keyFile;
        if (Integer.bitCount(blockSize) != 1 || blockSize < (4 << 10) || blockSize > (4 << 20)) {
            throw new IllegalArgumentException("block-size " + blockSize
                    + " is invalid; allowed a power of two from 4096 to 4194304 bytes");
        }
        if (packSize < (1 << 20) || packSize > (1 << 30)) {
            throw new IllegalArgumentException("pack-size " + packSize + " is out of range; allowed 1048576-1073741824 bytes");
        }
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(retention, "retention");
        if (gcGrace == null || gcGrace.isNegative()) {
            throw new IllegalArgumentException("gc-grace " + gcGrace + " must be zero or a positive duration such as 1h");
        }
        Objects.requireNonNull(cache, "cache");
        if (backend == Backend.S3 && s3.bucket().isEmpty()) {
            throw new IllegalArgumentException("s3 bucket is empty; backend s3 needs snapshot.s3.bucket");
        }
    }

    /** The file store's root: the configured directory, or {@code <dataDir>/snapshots}. */
    public Path effectiveDir(Path dataDir) {
        return dir.toString().isEmpty() ? dataDir.resolve("snapshots") : dir;
    }

    /** The store key: the configured file, or {@code <dataDir>/snapshot.key}. */
    public Path effectiveKeyFile(Path dataDir) {
        return keyFile.toString().isEmpty() ? dataDir.resolve("snapshot.key") : keyFile;
    }

    /** Where versions are stored. */
    public enum Backend {
        FILE, S3;

        @JsonCreator
        public static Backend parse(String text) {
            return Choices.parse(Backend.class, text);
        }

        @JsonValue
        @Override
        public String toString() {
            return Choices.word(this);
        }
    }

    /**
     * An S3 bucket. Empty credentials and region are taken from {@code AWS_ACCESS_KEY_ID},
     * {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_REGION}.
     */
    public record S3(String endpoint, String bucket, String region, String prefix, String accessKey, Secret secretKey,
                     long multipartThreshold) {
        public S3 {
            endpoint = endpoint == null ? "" : endpoint.strip();
            bucket = bucket == null ? "" : bucket.strip();
            region = region == null ? "" : region.strip();
            prefix = prefix == null ? "" : prefix.strip();
            accessKey = accessKey == null ? "" : accessKey.strip();
            secretKey = secretKey == null ? Secret.NONE : secretKey;
            if (!endpoint.isEmpty()) {
                URI uri;
                try {
                    uri = URI.create(endpoint);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("endpoint \"" + endpoint + "\" is not a URI; expected e.g. http://127.0.0.1:9000");
                }
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw new IllegalArgumentException("endpoint \"" + endpoint + "\" must be an http or https URL");
                }
            }
            if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/"))) {
                throw new IllegalArgumentException("prefix \"" + prefix + "\" must end in '/' and not start with one");
            }
            if (multipartThreshold < (5L << 20)) {
                throw new IllegalArgumentException("multipart-threshold " + multipartThreshold
                        + " is too small; S3 parts are at least 5242880 bytes");
            }
        }
    }

    /** Versions kept per VM: the newest {@code keepLast}, plus the newest of each recent day and ISO week. */
    public record Retention(int keepLast, int keepDaily, int keepWeekly) {
        public Retention {
            if (keepLast < 1) {
                throw new IllegalArgumentException("keep-last " + keepLast + " must be at least 1: a restore needs the newest version");
            }
            if (keepDaily < 0) {
                throw new IllegalArgumentException("keep-daily " + keepDaily + " must be 0 or more");
            }
            if (keepWeekly < 0) {
                throw new IllegalArgumentException("keep-weekly " + keepWeekly + " must be 0 or more");
            }
        }
    }

    /** Materialized versions kept on local disk for fast restores, up to {@code maxSize} bytes. */
    public record Cache(Path dir, long maxSize) {
        public Cache {
            dir = dir == null ? Path.of("") : dir;
            if (maxSize < 0) {
                throw new IllegalArgumentException("max-size " + maxSize + " must be 0 (no cache) or more bytes");
            }
        }

        /** The configured directory, or {@code <dataDir>/snapshot-cache}. */
        public Path effectiveDir(Path dataDir) {
            return dir.toString().isEmpty() ? dataDir.resolve("snapshot-cache") : dir;
        }
    }
}
