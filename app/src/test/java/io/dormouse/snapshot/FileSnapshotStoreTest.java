package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import io.dormouse.blob.FileBlobStore;

class FileSnapshotStoreTest extends SnapshotStoreContract {

    @Override
    protected BlobStore newBlobStore() {
        return FileBlobStore.open(dir.resolve("blobs"));
    }
}
