package io.dormouse.blob;

import java.time.Instant;
import java.util.List;

/** A blob store that passes every call to another; tests override the calls they want to fail or watch. */
public abstract class ForwardingBlobStore implements BlobStore {

    protected final BlobStore inner;

    protected ForwardingBlobStore(BlobStore inner) {
        this.inner = inner;
    }

    @Override
    public void put(String key, byte[] content, int length) {
        inner.put(key, content, length);
    }

    @Override
    public byte[] get(String key) {
        return inner.get(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return inner.getRange(key, offset, length);
    }

    @Override
    public boolean exists(String key) {
        return inner.exists(key);
    }

    @Override
    public long size(String key) {
        return inner.size(key);
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public boolean delete(String key) {
        return inner.delete(key);
    }

    @Override
    public int removeUnfinished(Instant before) {
        return inner.removeUnfinished(before);
    }

    @Override
    public void close() {
        inner.close();
    }
}
