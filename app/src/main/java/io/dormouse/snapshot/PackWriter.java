package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Gathers new chunk records into packs of about the target size and writes each one, durably,
 * under the SHA-256 of its bytes. A pack becomes visible to the index only after its put returned.
 */
final class PackWriter {

    /** A pack that was written: its id, its entries, and its size in bytes. */
    record Written(String packId, List<PackEntry> entries, long size) {
    }

    private final BlobStore blobs;
    private final int targetSize;
    private final String keyId;
    private final List<Written> written = new ArrayList<>();
    private final Map<ChunkId, PackEntry> pending = new HashMap<>();
    private final List<PackEntry> entries = new ArrayList<>();
    private byte[] buffer;
    private int size;

    PackWriter(BlobStore blobs, int targetSize, String keyId) {
        this.blobs = blobs;
        this.targetSize = targetSize;
        this.keyId = keyId;
        reset();
    }

    /** True when the open pack holds {@code id} already (the index knows only written packs). */
    boolean holds(ChunkId id) {
        return pending.containsKey(id);
    }

    /**
     * Appends a record; returns the pack written when this one filled it, else null.
     */
    Written add(ChunkId id, byte[] record, int flags) {
        if (pending.containsKey(id)) {
            return null;
        }
        if (size + record.length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + record.length));
        }
        System.arraycopy(record, 0, buffer, size, record.length);
        PackEntry entry = new PackEntry(id, size, record.length, flags);
        entries.add(entry);
        pending.put(id, entry);
        size += record.length;
        return size >= targetSize ? flush() : null;
    }

    /** Writes the open pack if it holds anything; returns it, or null. */
    Written flush() {
        if (entries.isEmpty()) {
            return null;
        }
        byte[] trailer = PackFormat.trailer(entries, size, keyId);
        byte[] pack = Arrays.copyOf(buffer, size + trailer.length);
        System.arraycopy(trailer, 0, pack, size, trailer.length);
        String packId = HexFormat.of().formatHex(StoreKey.sha256(pack));
        blobs.put(PackFormat.key(packId), pack);
        Written done = new Written(packId, List.copyOf(entries), pack.length);
        written.add(done);
        reset();
        return done;
    }

    /** Every pack this writer wrote. */
    List<Written> written() {
        return List.copyOf(written);
    }

    private void reset() {
        buffer = new byte[Math.min(targetSize + (1 << 20), 64 << 20)];
        System.arraycopy(PackFormat.header(), 0, buffer, 0, PackFormat.HEADER);
        size = PackFormat.HEADER;
        entries.clear();
        pending.clear();
    }
}
