package io.dormouse.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Content-defined chunking for byte streams whose contents shift (device state, migration
 * streams), after FastCDC (Xia et al., USENIX ATC 2016, Algorithm 1): a gear rolling hash, cut-point
 * skipping below the minimum size, and normalized chunking, with a harder mask before the average
 * size and an easier one after it, which pulls chunk sizes towards the average.
 */
record FastCdc(int minSize, int averageSize, int maxSize) implements Chunker {

    /** The gear table: fixed forever, since changing it moves every cut point and ends deduplication. */
    static final long[] GEAR = gearTable(0x646f726d6f757365L);

    FastCdc {
        if (Integer.bitCount(averageSize) != 1 || minSize <= 0 || minSize >= averageSize || maxSize <= averageSize) {
            throw new IllegalArgumentException("FastCDC needs 0 < min < average < max with a power-of-two average, got "
                    + minSize + "/" + averageSize + "/" + maxSize);
        }
    }

    /** Normalization level 2 of the paper: two bits harder before the average size... */
    long smallMask() {
        return spreadMask(Integer.numberOfTrailingZeros(averageSize) + 2);
    }

    /** ...and two bits easier after it. */
    long largeMask() {
        return spreadMask(Integer.numberOfTrailingZeros(averageSize) - 2);
    }

    @Override
    public String describe() {
        return "fastcdc-" + minSize + "-" + averageSize + "-" + maxSize;
    }

    @Override
    public void split(FileChannel in, long size, Sink sink) throws IOException {
        byte[] buffer = new byte[Math.max(4 * maxSize, 1 << 20)];
        int filled = 0;
        int start = 0;
        long bufferOffset = 0;
        long read = 0;
        while (true) {
            if (filled - start < maxSize && read < size) {
                System.arraycopy(buffer, start, buffer, 0, filled - start);
                bufferOffset += start;
                filled -= start;
                start = 0;
                int want = (int) Math.min(buffer.length - filled, size - read);
                int got = Chunker.readFully(in, read, buffer, filled, want);
                if (got < want) {
                    throw new IOException("the file ended at " + (read + got) + " bytes, expected " + size);
                }
                filled += got;
                read += got;
            }
            if (start == filled) {
                return;
            }
            int length = cut(buffer, start, filled - start);
            sink.chunk(bufferOffset + start, buffer, start, length);
            start += length;
        }
    }

    /** The length of the chunk starting at {@code start}, given {@code available} bytes (all the rest at the end). */
    int cut(byte[] data, int start, int available) {
        int n = available;
        if (n <= minSize) {
            return n;
        }
        if (n > maxSize) {
            n = maxSize;
        }
        int normal = Math.min(averageSize, n);
        long smallMask = smallMask();
        long largeMask = largeMask();
        long fingerprint = 0;
        int i = minSize;
        for (; i < normal; i++) {
            fingerprint = (fingerprint << 1) + GEAR[data[start + i] & 0xff];
            if ((fingerprint & smallMask) == 0) {
                return i;
            }
        }
        for (; i < n; i++) {
            fingerprint = (fingerprint << 1) + GEAR[data[start + i] & 0xff];
            if ((fingerprint & largeMask) == 0) {
                return i;
            }
        }
        return n;
    }

    /**
     * A mask of {@code bits} ones spread over the upper 48 bits, as the paper pads its masks with
     * zeros: a left-shifting gear hash's high bits depend on the most recent 48+ bytes, its low bits
     * only on the last few, so high spread bits give the hash a wide window.
     */
    static long spreadMask(int bits) {
        long mask = 0;
        for (int i = 0; i < bits; i++) {
            mask |= 1L << (63 - i * 48 / bits);
        }
        return mask;
    }

    /** 256 pseudo-random 64-bit values from SplitMix64, so the table is reproducible from its seed. */
    private static long[] gearTable(long seed) {
        long[] table = new long[256];
        long state = seed;
        for (int i = 0; i < table.length; i++) {
            state += 0x9e3779b97f4a7c15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            table[i] = z ^ (z >>> 31);
        }
        return table;
    }
}
