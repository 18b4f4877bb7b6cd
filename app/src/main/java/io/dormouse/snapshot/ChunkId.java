package io.dormouse.snapshot;

import java.util.Arrays;
import java.util.HexFormat;

/** A chunk's name: SHA-256 of its content, or HMAC-SHA-256 under the store key when encrypted. */
final class ChunkId {

    static final int BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;

    private ChunkId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    static ChunkId of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a chunk id has " + BYTES + " bytes, got " + bytes.length);
        }
        return new ChunkId(bytes.clone());
    }

    /** Takes {@code bytes} as they are: for fresh digests nobody else holds. */
    static ChunkId wrap(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a chunk id has " + BYTES + " bytes, got " + bytes.length);
        }
        return new ChunkId(bytes);
    }

    static ChunkId ofHex(String hex) {
        if (hex == null || hex.length() != 2 * BYTES) {
            throw new IllegalArgumentException("a chunk id is " + 2 * BYTES + " hex digits, got " + hex);
        }
        return new ChunkId(HEX.parseHex(hex));
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /** The id's bytes without a copy, for reading only (associated data of a record). */
    byte[] view() {
        return bytes;
    }

    String hex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return hex();
    }
}
