package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import io.dormouse.blob.S3BlobStore;
import io.dormouse.blob.S3ProxyServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The snapshot store over HTTP against S3Proxy, a real S3 API server, on loopback. */
class S3SnapshotStoreIT extends SnapshotStoreContract {

    @RegisterExtension
    static final S3ProxyServer server = new S3ProxyServer();

    @Override
    protected BlobStore newBlobStore() {
        return S3BlobStore.open(server.newBucket("snapshots"));
    }
}
