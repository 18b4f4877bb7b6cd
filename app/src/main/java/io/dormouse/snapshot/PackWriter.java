package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Gathers new chunk records into packs of about the target size and writes each full pack,
 * durably, under its name ({@link PackFormat#name}), while the caller goes on filling the next one (a few
 * uploads at a time). A pack is announced to {@code durable} only after its put returned.
 */
final class PackWriter {

    /** A pack that was written: its id, its entries, and its size in bytes. */
    record Written(String packId, List<PackEntry> entries, long size) {
    }

    private final BlobStore blobs;
    private final int targetSize;
    private final String keyId;
    private final Consumer<Written> durable;
    private final Semaphore uploadSlots;
    private final List<Thread> uploads = new ArrayList<>();
    private final List<Written> written = new CopyOnWriteArrayList<>();
    private final Set<ChunkId> uploading = ConcurrentHashMap.newKeySet();
    /** Buffers of written packs, refilled rather than allocated anew: each is tens of MiB. */
    private final Queue<byte[]> spare = new ConcurrentLinkedQueue<>();
    private final Map<ChunkId, PackEntry> pending = new HashMap<>();
    private final List<PackEntry> entries = new ArrayList<>();
    private volatile RuntimeException failure;
    private byte[] buffer;
    private int size;

    /**
     * @param durable     told of each pack once it is durable, on the thread that wrote it
     * @param parallelism how many packs may be uploading at once
     */
    PackWriter(BlobStore blobs, int targetSize, String keyId, Consumer<Written> durable, int parallelism) {
        this.blobs = blobs;
        this.targetSize = targetSize;
        this.keyId = keyId;
        this.durable = durable;
        this.uploadSlots = new Semaphore(parallelism);
        reset();
    }

    /** True when a pack of this writer that is not yet durable holds {@code id}: the index does not know it yet. */
    boolean holds(ChunkId id) {
        return pending.containsKey(id) || uploading.contains(id);
    }

    /**
     * Appends the record of {@code length} bytes at {@code offset} in {@code records} (once per id),
     * starting the pack's upload when it is full. The record's first byte holds its flags.
     */
    void add(ChunkId id, byte[] records, int offset, int length) {
        if (holds(id)) {
            return;
        }
        if (size + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + length));
        }
        System.arraycopy(records, offset, buffer, size, length);
        PackEntry entry = new PackEntry(id, size, length, records[offset] & 0xff);
        entries.add(entry);
        pending.put(id, entry);
        size += length;
        if (size >= targetSize) {
            upload();
        }
    }

    /**
     * Writes the open pack and waits for every upload. Returns all packs written; throws the first
     * upload failure.
     */
    List<Written> finish() {
        upload();
        awaitUploads();
        rethrow();
        return List.copyOf(written);
    }

    /**
     * Waits for the uploads under way. A failed commit calls it too, so that no pack of it lands
     * after the failure was reported (and after a GC that started then).
     */
    void awaitUploads() {
        for (Thread thread : uploads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SnapshotException(SnapshotException.Kind.FAILED, "interrupted while packs were uploading", e);
            }
        }
        uploads.clear();
    }

    private void upload() {
        rethrow();
        if (entries.isEmpty()) {
            return;
        }
        byte[] trailer = PackFormat.trailer(entries, size, keyId);
        String packId = PackFormat.name(trailer);
        if (size + trailer.length > buffer.length) {
            buffer = Arrays.copyOf(buffer, size + trailer.length);
        }
        System.arraycopy(trailer, 0, buffer, size, trailer.length);
        byte[] pack = buffer;
        int length = size + trailer.length;
        List<PackEntry> packed = List.copyOf(entries);
        Set<ChunkId> ids = Set.copyOf(pending.keySet());
        uploading.addAll(ids);
        reset();
        uploadSlots.acquireUninterruptibly();
        // a finished upload thread still holds its pack's bytes: keep only those under way
        uploads.removeIf(thread -> !thread.isAlive());
        uploads.add(Thread.ofVirtual().name("pack-upload").start(() -> {
            try {
                blobs.put(PackFormat.key(packId), pack, length);
                Written done = new Written(packId, packed, length);
                durable.accept(done);
                written.add(done);
                spare.offer(pack);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            } finally {
                uploading.removeAll(ids);
                uploadSlots.release();
            }
        }));
    }

    private void rethrow() {
        RuntimeException e = failure;
        if (e != null) {
            awaitUploads();
            throw e;
        }
    }

    private void reset() {
        byte[] reused = spare.poll();
        buffer = reused != null ? reused : new byte[Math.min(targetSize + (1 << 20), 64 << 20)];
        System.arraycopy(PackFormat.header(), 0, buffer, 0, PackFormat.HEADER);
        size = PackFormat.HEADER;
        entries.clear();
        pending.clear();
    }
}
