package io.dormouse.snapshot;

import io.dormouse.hypervisor.SavedState;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/**
 * The parent version of a page-aligned part as a local file plus the parent's chunk id of each
 * block: a block whose bytes equal the parent's keeps the parent's id without being hashed.
 */
final class ParentBlocks {

    /** Blocks hashed to check that the file is the parent version before anything is taken from it. */
    private static final int SPOT_CHECKS = 8;

    private final FileStamp stamp;
    private final ChunkId[] ids;

    private ParentBlocks(FileStamp stamp, ChunkId[] ids) {
        this.stamp = stamp;
        this.ids = ids;
    }

    /**
     * The parent blocks of {@code part}, or empty when the parent was cut otherwise (layout, block
     * size, part size) or the file is not as large as the part.
     */
    static Optional<ParentBlocks> of(Manifest.Part parent, SavedState.Part part, int blockSize, FileStamp stamp) {
        if (parent.layout() != SavedState.Layout.PAGE_ALIGNED || part.layout() != SavedState.Layout.PAGE_ALIGNED
                || !parent.chunking().equals(new FixedChunker(blockSize).describe()) || parent.size() != part.size()
                || stamp.size() != part.size()) {
            return Optional.empty();
        }
        ChunkId[] ids = new ChunkId[Math.toIntExact((parent.size() + blockSize - 1) / blockSize)];
        for (Manifest.Extent extent : parent.extents()) {
            if (extent.zero()) {
                continue;
            }
            long expected = Math.min(blockSize, parent.size() - extent.offset());
            if (extent.offset() % blockSize != 0 || extent.length() != expected) {
                return Optional.empty();
            }
            ids[Math.toIntExact(extent.offset() / blockSize)] = ChunkId.ofHex(extent.chunk());
        }
        return Optional.of(new ParentBlocks(stamp, ids));
    }

    FileStamp stamp() {
        return stamp;
    }

    /** The parent's id of block {@code block}; null for a hole. */
    ChunkId id(int block) {
        return ids[block];
    }

    /**
     * Hashes a few blocks spread over the file and compares them with the parent's ids: a file
     * that is another version, or another VM's, is caught before any block is taken from it.
     */
    boolean spotCheck(MemorySegment image, int blockSize, long size, ChunkCodec codec) {
        byte[] buffer = new byte[blockSize];
        int step = Math.max(1, ids.length / SPOT_CHECKS);
        for (int block = step / 2; block < ids.length; block += step) {
            long offset = (long) block * blockSize;
            int length = (int) Math.min(blockSize, size - offset);
            MemorySegment.copy(image, ValueLayout.JAVA_BYTE, offset, buffer, 0, length);
            boolean zero = Blocks.isZero(image, offset, length);
            if (ids[block] == null ? !zero : zero || !codec.id(buffer, 0, length).equals(ids[block])) {
                return false;
            }
        }
        return true;
    }
}
