package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import io.dormouse.blob.S3BlobStore;
import io.dormouse.blob.S3ProxyServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The acceptance criteria over HTTP against S3Proxy on its file-system backend. */
class S3SnapshotAcceptanceIT extends SnapshotAcceptanceContract {

    @RegisterExtension
    static final S3ProxyServer server = new S3ProxyServer();

    @Override
    protected BlobStore newBlobStore() {
        return S3BlobStore.open(server.newBucket("acceptance"));
    }
}
