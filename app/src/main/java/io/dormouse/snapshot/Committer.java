package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import io.dormouse.hypervisor.SavedState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.LongConsumer;

/**
 * Turns a saved VM into a version: chunks first, then packs, then the manifest, each durable
 * before the next starts, so a crash leaves either a whole version or garbage for GC. When the
 * files committed last for the VM are still on disk, unchanged, and the new version's parent, the
 * page-aligned parts are compared with them block by block and only changed blocks are hashed.
 */
final class Committer {

    private final BlobStore blobs;
    private final ChunkIndex index;
    private final ChunkCodec codec;
    private final Manifests manifests;
    private final SnapshotSettings settings;
    private final String keyId;
    private final InstantSource clock;
    private final ExecutorService workers;
    private final int parallelism;
    private final LocalCopies copies = new LocalCopies();
    private volatile long lastCompared;

    Committer(BlobStore blobs, ChunkIndex index, ChunkCodec codec, Manifests manifests, SnapshotSettings settings,
              String keyId, InstantSource clock, ExecutorService workers, int parallelism) {
        this.workers = workers;
        this.parallelism = parallelism;
        this.blobs = blobs;
        this.index = index;
        this.codec = codec;
        this.manifests = manifests;
        this.settings = settings;
        this.keyId = keyId;
        this.clock = clock;
    }

    Version commit(long vm, long number, Long parent, SavedState state, Progress progress) {
        Map<String, FileStamp> before = new HashMap<>();
        for (SavedState.Part part : state.parts()) {
            checkSize(vm, part.name(), part.file(), part.size());
            if (part.layout() == SavedState.Layout.PAGE_ALIGNED) {
                FileStamp.of(part.file()).ifPresent(stamp -> before.put(part.name(), stamp));
            }
        }
        Manifest parentManifest = parent != null && copies.has(vm, parent) ? manifests.read(vm, parent) : null;
        ChunkUploader uploader = uploader();
        long total = state.totalBytes();
        long[] done = {0};
        List<Manifest.Part> parts = new ArrayList<>();
        try {
            for (SavedState.Part part : state.parts()) {
                Chunker chunker = uploader.chunker(part.layout());
                LongConsumer advanced = n -> progress.update(done[0] += n, total);
                List<Manifest.Extent> extents = part.layout() == SavedState.Layout.PAGE_ALIGNED
                        ? uploadBlocks(vm, uploader, part, reference(vm, parentManifest, part, uploader), advanced)
                        : upload(vm, uploader, part.name(), part.file(), part.size(), chunker, advanced);
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
        lastCompared = uploader.comparedBytes();
        remember(vm, number, state, before);
        progress.update(total, total);
        return Version.of(manifest);
    }

    /** The version is gone: its local copy is no parent of anything any more. */
    void forget(long vm, long version) {
        copies.forget(vm, version);
    }

    /** Bytes the last commit found equal to its parent's local copy (for tests and logs). */
    long lastCompared() {
        return lastCompared;
    }

    /**
     * The parent's local copy of {@code part}, when there is one that is still unchanged and passes
     * the spot check against the parent's manifest; otherwise every block is hashed.
     */
    private ParentBlocks reference(long vm, Manifest parent, SavedState.Part part, ChunkUploader uploader) {
        if (parent == null) {
            return null;
        }
        Optional<FileStamp> stamp = copies.find(vm, parent.version(), part.name());
        Optional<Manifest.Part> old = parent.parts().stream().filter(p -> p.name().equals(part.name())).findFirst();
        if (stamp.isEmpty() || old.isEmpty()) {
            return null;
        }
        Optional<ParentBlocks> blocks = ParentBlocks.of(old.get(), part, settings.blockSize(), stamp.get());
        if (blocks.isEmpty() || !uploader.spotCheck(blocks.get(), part.size())) {
            copies.forget(vm);
            return null;
        }
        return blocks.get();
    }

    private List<Manifest.Extent> uploadBlocks(long vm, ChunkUploader uploader, SavedState.Part part,
                                               ParentBlocks parent, LongConsumer advanced) {
        try {
            long[] reported = {0};
            List<Manifest.Extent> extents = uploader.uploadBlocks(part.file(), part.size(), parent, n -> {
                reported[0] += n;
                advanced.accept(n);
            });
            if (parent == null || parent.stamp().unchanged()) {
                return extents;
            }
            // the parent's copy changed while it was compared: what was taken from it proves nothing
            copies.forget(vm);
            long[] repeated = {reported[0]};
            return uploader.uploadBlocks(part.file(), part.size(), null, n -> {
                long again = Math.min(n, repeated[0]);
                repeated[0] -= again;
                if (n > again) {
                    advanced.accept(n - again);
                }
            });
        } catch (IOException e) {
            throw new SnapshotException(SnapshotException.Kind.FAILED, "reading part '" + part.name() + "' of VM " + vm
                    + " from " + part.file() + " failed (" + e + ")", e);
        }
    }

    /**
     * Keeps the committed files as the local copy of this version when none of them changed while
     * they were read: the next commit compares against them.
     */
    private void remember(long vm, long number, SavedState state, Map<String, FileStamp> before) {
        Map<String, FileStamp> after = new HashMap<>();
        for (SavedState.Part part : state.parts()) {
            if (part.layout() != SavedState.Layout.PAGE_ALIGNED) {
                continue;
            }
            FileStamp first = before.get(part.name());
            Optional<FileStamp> now = FileStamp.settled(part.file());
            if (first == null || now.isEmpty() || !now.get().sameFile(first)) {
                copies.forget(vm);
                return;
            }
            after.put(part.name(), now.get());
        }
        if (after.isEmpty()) {
            copies.forget(vm);
        } else {
            copies.remember(vm, number, after);
        }
    }

    Precopy precopy(long vm, Path ramFile, Progress progress) {
        long size = fileSize(vm, ramFile);
        ChunkUploader uploader = uploader();
        long[] done = {0};
        try {
            uploadBlocks(vm, uploader, new SavedState.Part("ram", ramFile, SavedState.Layout.PAGE_ALIGNED, size), null,
                    n -> progress.update(done[0] += n, size));
            uploader.finish();
        } catch (RuntimeException e) {
            uploader.abandon();
            throw e;
        }
        return new Precopy(vm, size, uploader.newBytes(), uploader.storedBytes());
    }

    private ChunkUploader uploader() {
        return new ChunkUploader(blobs, index, codec, settings, keyId, workers, parallelism);
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
