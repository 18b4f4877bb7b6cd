package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import io.dormouse.hypervisor.SavedState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Turns a saved VM into a version: chunks first, then packs, then the manifest, each durable
 * before the next starts, so a crash leaves either a whole version or garbage for GC.
 */
final class Committer {

    private final BlobStore blobs;
    private final ChunkIndex index;
    private final ChunkCodec codec;
    private final Manifests manifests;
    private final SnapshotSettings settings;
    private final String keyId;
    private final InstantSource clock;

    Committer(BlobStore blobs, ChunkIndex index, ChunkCodec codec, Manifests manifests, SnapshotSettings settings,
              String keyId, InstantSource clock) {
        this.blobs = blobs;
        this.index = index;
        this.codec = codec;
        this.manifests = manifests;
        this.settings = settings;
        this.keyId = keyId;
        this.clock = clock;
    }

    Version commit(long vm, long number, Long parent, SavedState state, Progress progress) {
        for (SavedState.Part part : state.parts()) {
            checkSize(vm, part.name(), part.file(), part.size());
        }
        ChunkUploader uploader = uploader();
        long total = state.totalBytes();
        long[] done = {0};
        List<Manifest.Part> parts = new ArrayList<>();
        try {
            for (SavedState.Part part : state.parts()) {
                Chunker chunker = uploader.chunker(part.layout());
                List<Manifest.Extent> extents = upload(vm, uploader, part.name(), part.file(), part.size(), chunker,
                        n -> progress.update(done[0] += n, total));
                parts.add(new Manifest.Part(part.name(), part.layout(), part.size(), chunker.describe(), extents));
            }
            uploader.finish();
        } catch (RuntimeException e) {
            uploader.abandon();
            throw e;
        }
        Manifest manifest = new Manifest(vm, number, parent, clock.instant(), state.qemuVersion(),
                state.machineFingerprint(), state.pausedFor().toMillis(), settings.blockSize(), keyId, codec.encrypted(),
                total, uploader.newBytes(), uploader.storedBytes(), parts);
        manifests.write(manifest);
        progress.update(total, total);
        return Version.of(manifest);
    }

    Precopy precopy(long vm, Path ramFile, Progress progress) {
        long size = fileSize(vm, ramFile);
        ChunkUploader uploader = uploader();
        long[] done = {0};
        try {
            upload(vm, uploader, "ram", ramFile, size, uploader.chunker(SavedState.Layout.PAGE_ALIGNED),
                    n -> progress.update(done[0] += n, size));
            uploader.finish();
        } catch (RuntimeException e) {
            uploader.abandon();
            throw e;
        }
        return new Precopy(vm, size, uploader.newBytes(), uploader.storedBytes());
    }

    private ChunkUploader uploader() {
        return new ChunkUploader(blobs, index, codec, settings, keyId);
    }

    private static List<Manifest.Extent> upload(long vm, ChunkUploader uploader, String part, Path file, long size,
                                                Chunker chunker, LongConsumer advanced) {
        try {
            return uploader.upload(file, size, chunker, advanced);
        } catch (IOException e) {
            throw new SnapshotException(SnapshotException.Kind.FAILED, "reading part '" + part + "' of VM " + vm + " from "
                    + file + " failed (" + e + ")", e);
        }
    }

    private static void checkSize(long vm, String part, Path file, long size) {
        long actual = fileSize(vm, file);
        if (actual != size) {
            throw new SnapshotException(SnapshotException.Kind.INVALID, "part '" + part + "' of VM " + vm + ": file " + file
                    + " has " + actual + " bytes, the saved state says " + size);
        }
    }

    private static long fileSize(long vm, Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new SnapshotException(SnapshotException.Kind.INVALID, "VM " + vm + ": cannot read file " + file + " (" + e
                    + ")", e);
        }
    }
}
