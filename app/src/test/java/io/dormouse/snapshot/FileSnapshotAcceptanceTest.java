package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import io.dormouse.blob.FileBlobStore;

class FileSnapshotAcceptanceTest extends SnapshotAcceptanceContract {

    private int stores;

    @Override
    protected BlobStore newBlobStore() {
        return FileBlobStore.open(dir.resolve("blobs-" + ++stores));
    }
}
