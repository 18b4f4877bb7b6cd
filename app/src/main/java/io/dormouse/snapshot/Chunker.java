package io.dormouse.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Cuts a file into chunks, handing each to a sink in file order. */
sealed interface Chunker permits FixedChunker, FastCdc {

    /** Receives one chunk: {@code length} bytes of {@code buffer} from {@code start}, valid only during the call. */
    @FunctionalInterface
    interface Sink {
        void chunk(long offset, byte[] buffer, int start, int length) throws IOException;
    }

    /** How the chunks were cut, as a manifest records it. */
    String describe();

    void split(FileChannel in, long size, Sink sink) throws IOException;

    /** Reads up to {@code length} bytes at {@code position} into {@code buffer} from {@code start}; fewer only at the end. */
    static int readFully(FileChannel in, long position, byte[] buffer, int start, int length) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(buffer, start, length);
        while (target.hasRemaining()) {
            int n = in.read(target, position + (target.position() - start));
            if (n < 0) {
                break;
            }
        }
        return target.position() - start;
    }
}
