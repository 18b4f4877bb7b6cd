package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import io.dormouse.hypervisor.SavedState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Cuts files into chunks and stores the chunks the store does not hold yet, in packs; all-zero
 * chunks become holes. One uploader serves one commit or pre-copy; it spreads the hashing, compression
 * and encryption of each batch of chunks over the common fork-join pool.
 */
final class ChunkUploader {

    /** Content-defined chunk sizes of stream parts: device state is small, migration streams are not. */
    static final FastCdc STREAM_CHUNKS = new FastCdc(4 << 10, 16 << 10, 64 << 10);
    /** Chunks are processed in batches of about this many bytes: enough to keep every core busy. */
    private static final long BATCH_BYTES = 8 << 20;
    /** Packs uploading while the next one fills: hides the latency of a remote store, bounds memory. */
    private static final int PARALLEL_UPLOADS = 2;

    private final ChunkIndex index;
    private final ChunkCodec codec;
    private final PackWriter packs;
    private final FixedChunker pageChunks;
    private final byte[] zeros;
    private long newBytes;
    private long storedBytes;

    ChunkUploader(BlobStore blobs, ChunkIndex index, ChunkCodec codec, SnapshotSettings settings, String keyId) {
        this.index = index;
        this.codec = codec;
        this.packs = new PackWriter(blobs, settings.packSize(), keyId, w -> index.add(w.packId(), w.entries()),
                PARALLEL_UPLOADS);
        this.pageChunks = new FixedChunker(settings.blockSize());
        this.zeros = new byte[Math.max(settings.blockSize(), STREAM_CHUNKS.maxSize())];
    }

    Chunker chunker(SavedState.Layout layout) {
        return switch (layout) {
            case PAGE_ALIGNED -> pageChunks;
            case STREAM -> STREAM_CHUNKS;
        };
    }

    /** Stores the chunks of {@code size} bytes of {@code file}; returns the extents that rebuild it. */
    List<Manifest.Extent> upload(Path file, long size, Chunker chunker, LongConsumer advanced) throws IOException {
        List<Manifest.Extent> extents = new ArrayList<>();
        List<Piece> batch = new ArrayList<>();
        long[] batchBytes = {0};
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            chunker.split(in, size, (offset, buffer, start, length) -> {
                batch.add(new Piece(offset, Arrays.copyOfRange(buffer, start, start + length)));
                batchBytes[0] += length;
                if (batchBytes[0] >= BATCH_BYTES) {
                    store(batch, extents, advanced);
                    batchBytes[0] = 0;
                }
            });
        }
        store(batch, extents, advanced);
        return extents;
    }

    /** Writes the last, partly filled pack. The chunks uploaded so far are durable when this returns. */
    /** After a failure: waits until no upload of this commit is under way any more. */
    void abandon() {
        packs.awaitUploads();
    }

    void finish() {
        storedBytes = packs.finish().stream().mapToLong(PackWriter.Written::size).sum();
    }

    long newBytes() {
        return newBytes;
    }

    long storedBytes() {
        return storedBytes;
    }

    /** A chunk read from the file, with what the parallel steps found out about it. */
    private static final class Piece {
        final long offset;
        final byte[] data;
        ChunkId id;
        byte[] record;

        Piece(long offset, byte[] data) {
            this.offset = offset;
            this.data = data;
        }
    }

    /**
     * Hashing, compressing and sealing run in parallel over a batch; deciding which chunks are new and
     * appending them to packs stay in file order on this thread, so packs and extents do not depend
     * on thread timing.
     */
    private void store(List<Piece> batch, List<Manifest.Extent> extents, LongConsumer advanced) {
        batch.parallelStream().forEach(p -> p.id = zero(p.data) ? null : codec.id(p.data, 0, p.data.length));
        Set<ChunkId> claimed = new HashSet<>();
        List<Piece> fresh = batch.stream()
                .filter(p -> p.id != null && !index.contains(p.id) && !packs.holds(p.id) && claimed.add(p.id))
                .toList();
        fresh.parallelStream().forEach(p -> p.record = codec.seal(p.id, p.data, 0, p.data.length));
        for (Piece p : batch) {
            if (p.record != null) {
                newBytes += p.data.length;
                packs.add(p.id, p.record, p.record[0]);
            }
            extents.add(extent(p, extents));
            advanced.accept(p.data.length);
        }
        batch.clear();
    }

    private boolean zero(byte[] data) {
        return Arrays.equals(data, 0, data.length, zeros, 0, data.length);
    }

    private static Manifest.Extent extent(Piece p, List<Manifest.Extent> extents) {
        if (p.id != null) {
            return Manifest.Extent.chunk(p.offset, p.data.length, p.id);
        }
        Manifest.Extent last = extents.isEmpty() ? null : extents.getLast();
        if (last != null && last.zero() && last.offset() + last.length() == p.offset) {
            extents.removeLast();
            return Manifest.Extent.hole(last.offset(), last.length() + p.data.length);
        }
        return Manifest.Extent.hole(p.offset, p.data.length);
    }
}
