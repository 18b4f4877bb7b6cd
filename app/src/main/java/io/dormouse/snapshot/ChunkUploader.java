package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import io.dormouse.hypervisor.SavedState;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.LongConsumer;

/**
 * Cuts files into chunks and stores the chunks the store does not hold yet, in packs; all-zero
 * chunks become holes. One uploader serves one commit or pre-copy; page-aligned parts go through
 * {@link Blocks} on the store's worker threads, stream parts (small) through the common fork-join pool.
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
    private final Blocks blocks;
    private final byte[] zeros;
    private long newBytes;
    private long storedBytes;
    private long comparedBytes;

    ChunkUploader(BlobStore blobs, ChunkIndex index, ChunkCodec codec, SnapshotSettings settings, String keyId,
                  ExecutorService workers, int parallelism) {
        this.index = index;
        this.codec = codec;
        this.blocks = new Blocks(workers, parallelism, codec, index, settings.blockSize());
        this.packs = new PackWriter(blobs, settings.packSize(), keyId, this::durable, PARALLEL_UPLOADS);
        this.pageChunks = new FixedChunker(settings.blockSize());
        this.zeros = new byte[Math.max(settings.blockSize(), STREAM_CHUNKS.maxSize())];
    }

    /** A pack is durable: the index knows its chunks, so the workers need not remember them any more. */
    private void durable(PackWriter.Written pack) {
        index.add(pack.packId(), pack.entries());
        pack.entries().forEach(e -> blocks.durable(e.id()));
    }

    Chunker chunker(SavedState.Layout layout) {
        return switch (layout) {
            case PAGE_ALIGNED -> pageChunks;
            case STREAM -> STREAM_CHUNKS;
        };
    }

    /**
     * Stores the new blocks of a page-aligned part; blocks equal to {@code parent}'s (when given)
     * keep the parent's ids unhashed. Returns the extents that rebuild the part.
     */
    List<Manifest.Extent> uploadBlocks(Path file, long size, ParentBlocks parent, LongConsumer advanced)
            throws IOException {
        List<Manifest.Extent> extents = new ArrayList<>();
        int blockSize = pageChunks.blockSize();
        byte[] buffer = new byte[blockSize];
        blocks.scan(file, size, parent, (batch, image) -> {
            long bytes = 0;
            for (int i = 0; i < batch.ids().length; i++) {
                long offset = (long) (batch.first() + i) * blockSize;
                int length = batch.lengths()[i];
                ChunkId id = batch.ids()[i];
                bytes += length;
                if (batch.fromParent()[i]) {
                    comparedBytes += length;
                } else if (id != null && !index.contains(id) && !packs.holds(id)) {
                    newBytes += length;
                    int at = batch.recordOffsets()[i];
                    int recordLength = batch.recordLengths()[i];
                    if (recordLength > 0) {
                        packs.add(id, batch.records(), at, recordLength);
                    } else {
                        // a later batch sealed this chunk first; the earliest place in the file stores it
                        MemorySegment.copy(image, ValueLayout.JAVA_BYTE, offset, buffer, 0, length);
                        byte[] record = codec.seal(id, buffer, 0, length);
                        packs.add(id, record, 0, record.length);
                    }
                }
                extents.add(extent(offset, length, id, extents));
            }
            advanced.accept(bytes);
        });
        return extents;
    }

    /** The spot check of {@link ParentBlocks#spotCheck} on the parent's file; false when it cannot be read. */
    boolean spotCheck(ParentBlocks parent, long size) {
        try (Arena arena = Arena.ofConfined();
             FileChannel in = FileChannel.open(parent.stamp().file(), StandardOpenOption.READ)) {
            MemorySegment image = in.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return parent.spotCheck(image, pageChunks.blockSize(), size, codec);
        } catch (IOException e) {
            return false;
        }
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

    /** After a failure: waits until no upload of this commit is under way any more. */
    void abandon() {
        packs.awaitUploads();
    }

    /** Writes the last, partly filled pack. The chunks uploaded so far are durable when this returns. */
    void finish() {
        storedBytes = packs.finish().stream().mapToLong(PackWriter.Written::size).sum();
    }

    long newBytes() {
        return newBytes;
    }

    long storedBytes() {
        return storedBytes;
    }

    /** Bytes found equal to the parent's local copy, neither hashed nor stored. */
    long comparedBytes() {
        return comparedBytes;
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
                packs.add(p.id, p.record, 0, p.record.length);
            }
            extents.add(extent(p.offset, p.data.length, p.id, extents));
            advanced.accept(p.data.length);
        }
        batch.clear();
    }

    private boolean zero(byte[] data) {
        return Arrays.equals(data, 0, data.length, zeros, 0, data.length);
    }

    private static Manifest.Extent extent(long offset, int length, ChunkId id, List<Manifest.Extent> extents) {
        if (id != null) {
            return Manifest.Extent.chunk(offset, length, id);
        }
        Manifest.Extent last = extents.isEmpty() ? null : extents.getLast();
        if (last != null && last.zero() && last.offset() + last.length() == offset) {
            extents.removeLast();
            return Manifest.Extent.hole(last.offset(), last.length() + length);
        }
        return Manifest.Extent.hole(offset, length);
    }
}
