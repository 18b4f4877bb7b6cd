package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import io.dormouse.hypervisor.SavedState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Cuts files into chunks and stores the chunks the store does not hold yet, in packs; all-zero
 * chunks become holes. One uploader serves one commit or pre-copy and is not shared between threads.
 */
final class ChunkUploader {

    /** Content-defined chunk sizes of stream parts: device state is small, migration streams are not. */
    static final FastCdc STREAM_CHUNKS = new FastCdc(4 << 10, 16 << 10, 64 << 10);

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
        this.packs = new PackWriter(blobs, settings.packSize(), keyId);
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
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            chunker.split(in, size, (offset, buffer, start, length) -> {
                extents.add(store(offset, buffer, start, length, extents));
                advanced.accept(length);
            });
        }
        return extents;
    }

    /** Writes the last, partly filled pack. The chunks uploaded so far are durable when this returns. */
    void finish() {
        recordWritten(packs.flush());
    }

    long newBytes() {
        return newBytes;
    }

    long storedBytes() {
        return storedBytes;
    }

    private Manifest.Extent store(long offset, byte[] buffer, int start, int length, List<Manifest.Extent> extents) {
        if (Arrays.equals(buffer, start, start + length, zeros, 0, length)) {
            Manifest.Extent last = extents.isEmpty() ? null : extents.getLast();
            if (last != null && last.zero() && last.offset() + last.length() == offset) {
                extents.removeLast();
                return Manifest.Extent.hole(last.offset(), last.length() + length);
            }
            return Manifest.Extent.hole(offset, length);
        }
        ChunkId id = codec.id(buffer, start, length);
        if (!index.contains(id) && !packs.holds(id)) {
            byte[] record = codec.seal(id, buffer, start, length);
            newBytes += length;
            recordWritten(packs.add(id, record, record[0]));
        }
        return Manifest.Extent.chunk(offset, length, id);
    }

    private void recordWritten(PackWriter.Written written) {
        if (written != null) {
            index.add(written.packId(), written.entries());
            storedBytes += written.size();
        }
    }
}
