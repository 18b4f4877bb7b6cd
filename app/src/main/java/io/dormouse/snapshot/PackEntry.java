package io.dormouse.snapshot;

/** Where one chunk record lies in a pack, and whether it is compressed and encrypted ({@link ChunkCodec} flags). */
record PackEntry(ChunkId id, long offset, int length, int flags) {
}
