package io.dormouse.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Fixed-size blocks for page-aligned parts (RAM file, disk image): a page that changes in place
 * changes exactly one block, and no content-defined cut can beat that for such data.
 */
record FixedChunker(int blockSize) implements Chunker {

    private static final int READ_SIZE = 4 << 20;

    @Override
    public String describe() {
        return "fixed-" + blockSize;
    }

    @Override
    public void split(FileChannel in, long size, Sink sink) throws IOException {
        byte[] buffer = new byte[Math.max(blockSize, READ_SIZE / blockSize * blockSize)];
        long position = 0;
        while (position < size) {
            int want = (int) Math.min(buffer.length, size - position);
            int got = Chunker.readFully(in, position, buffer, 0, want);
            if (got < want) {
                throw new IOException("the file ended at " + (position + got) + " bytes, expected " + size);
            }
            for (int start = 0; start < got; start += blockSize) {
                sink.chunk(position + start, buffer, start, Math.min(blockSize, got - start));
            }
            position += got;
        }
    }
}
