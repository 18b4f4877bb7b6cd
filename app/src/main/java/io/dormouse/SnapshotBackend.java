package io.dormouse;

import io.dormouse.blob.BlobStore;
import io.dormouse.blob.FileBlobStore;
import io.dormouse.blob.S3BlobStore;
import io.dormouse.blob.S3Settings;
import io.dormouse.config.SnapshotConfig;
import io.dormouse.snapshot.RestoreCache;
import io.dormouse.snapshot.Retention;
import io.dormouse.snapshot.SnapshotSettings;
import io.dormouse.snapshot.SnapshotStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;

/**
 * The snapshot store as the configuration asks for it: its blob backend, the store, the local
 * cache of materialized versions, and the retention and grace that garbage collection applies.
 */
record SnapshotBackend(BlobStore blobs, SnapshotStore store, RestoreCache cache, Retention retention, Duration grace)
        implements AutoCloseable {

    /** Opens the store; S3 credentials and region not configured come from the standard AWS variables in {@code env}. */
    static SnapshotBackend open(SnapshotConfig config, Path dataDir, Map<String, String> env, InstantSource clock) {
        BlobStore blobs = switch (config.backend()) {
            case FILE -> FileBlobStore.open(config.effectiveDir(dataDir));
            case S3 -> S3BlobStore.open(s3Settings(config.s3(), env));
        };
        try {
            SnapshotSettings settings = new SnapshotSettings(config.blockSize(), config.packSize(), config.encryption(),
                    config.effectiveKeyFile(dataDir), dataDir.resolve("snapshot-index"));
            SnapshotStore store = SnapshotStore.open(blobs, settings, clock);
            RestoreCache cache = RestoreCache.open(config.cache().effectiveDir(dataDir), config.cache().maxSize());
            SnapshotConfig.Retention r = config.retention();
            return new SnapshotBackend(blobs, store, cache, new Retention(r.keepLast(), r.keepDaily(), r.keepWeekly()),
                    config.gcGrace());
        } catch (RuntimeException e) {
            blobs.close();
            throw e;
        }
    }

    static S3Settings s3Settings(SnapshotConfig.S3 s3, Map<String, String> env) {
        String accessKey = s3.accessKey().isEmpty() ? env.getOrDefault("AWS_ACCESS_KEY_ID", "") : s3.accessKey();
        String secretKey = s3.secretKey().isSet() ? s3.secretKey().value() : env.getOrDefault("AWS_SECRET_ACCESS_KEY", "");
        String region = !s3.region().isEmpty() ? s3.region() : env.getOrDefault("AWS_REGION", "us-east-1");
        if (accessKey.isBlank() || secretKey.isBlank()) {
            throw new IllegalArgumentException("snapshot.s3 credentials are missing: set snapshot.s3.access-key and"
                    + " snapshot.s3.secret-key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }
        URI endpoint = s3.endpoint().isEmpty() ? null : URI.create(s3.endpoint());
        return new S3Settings(endpoint, region, s3.bucket(), s3.prefix(), accessKey, secretKey, s3.multipartThreshold());
    }

    @Override
    public void close() {
        blobs.close();
    }
}
