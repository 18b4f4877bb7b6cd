package io.dormouse.snapshot;

import java.nio.file.Path;

/**
 * How the snapshot store cuts, packs and protects VM state.
 *
 * @param blockSize  chunk size of page-aligned parts (RAM, disks): a power of two from 4 KiB to 4 MiB
 * @param packSize   target size of pack objects: 1 MiB to 1 GiB
 * @param encryption AES-256-GCM per chunk and keyed chunk ids; a store keeps the mode it was created with
 * @param keyFile    the store key (created with mode 0600 at first use); it also authenticates manifests
 * @param indexFile  local cache of which pack holds which chunk; null keeps it in memory only
 * @param compressionLevel zstd level of new chunk records, 1 to 19 (reading accepts any level)
 */
public record SnapshotSettings(int blockSize, int packSize, boolean encryption, Path keyFile, Path indexFile,
                               int compressionLevel) {

    /** Chosen by measurement on a booted guest's RAM: see docs/benchmarks.md, "Snapshot chunking". */
    public static final int DEFAULT_BLOCK_SIZE = 16 << 10;
    public static final int DEFAULT_PACK_SIZE = 16 << 20;
    /** Measured against level 1 and 3 on guest-like images: see docs/benchmarks.md, "Snapshot store". */
    public static final int DEFAULT_COMPRESSION_LEVEL = 3;

    public SnapshotSettings {
        if (Integer.bitCount(blockSize) != 1 || blockSize < (4 << 10) || blockSize > (4 << 20)) {
            throw new IllegalArgumentException("blockSize must be a power of two from 4096 to 4194304 bytes, got "
                    + blockSize);
        }
        if (packSize < (1 << 20) || packSize > (1 << 30)) {
            throw new IllegalArgumentException("packSize must be from 1048576 to 1073741824 bytes, got " + packSize);
        }
        if (keyFile == null) {
            throw new IllegalArgumentException("keyFile must be given: it holds the store key");
        }
        if (compressionLevel < 1 || compressionLevel > 19) {
            throw new IllegalArgumentException("compressionLevel must be a zstd level from 1 to 19, got " + compressionLevel);
        }
    }

    public SnapshotSettings(int blockSize, int packSize, boolean encryption, Path keyFile, Path indexFile) {
        this(blockSize, packSize, encryption, keyFile, indexFile, DEFAULT_COMPRESSION_LEVEL);
    }

    /** The defaults, with the key and the index in {@code dataDir}. */
    public static SnapshotSettings defaults(Path dataDir) {
        return new SnapshotSettings(DEFAULT_BLOCK_SIZE, DEFAULT_PACK_SIZE, true, dataDir.resolve("snapshot.key"),
                dataDir.resolve("snapshot-index"));
    }

    public SnapshotSettings withBlockSize(int size) {
        return new SnapshotSettings(size, packSize, encryption, keyFile, indexFile, compressionLevel);
    }

    public SnapshotSettings withEncryption(boolean on) {
        return new SnapshotSettings(blockSize, packSize, on, keyFile, indexFile, compressionLevel);
    }

    public SnapshotSettings withCompressionLevel(int level) {
        return new SnapshotSettings(blockSize, packSize, encryption, keyFile, indexFile, level);
    }
}
