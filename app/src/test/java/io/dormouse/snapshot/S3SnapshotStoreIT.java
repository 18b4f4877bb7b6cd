package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import io.dormouse.blob.S3BlobStore;
import io.dormouse.blob.S3ProxyServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The snapshot store over HTTP against S3Proxy, a real S3 API server, on loopback. */
class S3SnapshotStoreIT extends SnapshotStoreContract {

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected BlobStore newBlobStore() {
        return S3BlobStore.open(server.newBucket("snapshots-" + BUCKETS.incrementAndGet()));
    }
}
