package io.dormouse.snapshot;

import io.dormouse.blob.BlobException;
import io.dormouse.blob.BlobStore;
import io.dormouse.hypervisor.SavedState;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Versioned, incremental, content-addressed, compressed and encrypted VM state in a blob store.
 * A version exists once its packs and manifest are durable; recording it in the state database is
 * the caller's step. One process owns a store: commits and reads run concurrently, garbage collection
 * runs alone.
 */
public final class SnapshotStore {

    private final BlobStore blobs;
    private final Manifests manifests;
    private final Committer committer;
    private final Restorer restorer;
    private final Collector collector;
    private final String keyId;
    private final ReadWriteLock gcLock = new ReentrantReadWriteLock();
    private final Map<Long, ReentrantLock> vmLocks = new ConcurrentHashMap<>();

    private SnapshotStore(BlobStore blobs, SnapshotSettings settings, InstantSource clock) {
        // keys and nonces need a cryptographic generator, not the seeded one used elsewhere
        SecureRandom random = new SecureRandom();
        StoreKey key = StoreMarker.open(blobs, settings, random);
        ChunkCodec codec = new ChunkCodec(key, settings.encryption(), random, settings.compressionLevel());
        ChunkIndex index = ChunkIndex.open(settings.indexFile(), blobs, key.id());
        int parallelism = Runtime.getRuntime().availableProcessors();
        this.blobs = blobs;
        this.keyId = key.id();
        this.manifests = new Manifests(blobs, new ManifestCodec(key));
        this.committer = new Committer(blobs, index, codec, manifests, settings, key.id(), clock, workers(parallelism),
                parallelism);
        this.restorer = new Restorer(blobs, index, codec);
        this.collector = new Collector(blobs, index, manifests, settings, key.id(), clock);
    }

    /**
     * Opens the store in {@code blobs}, creating the key file and the store marker at first use.
     *
     * @throws SnapshotException {@link SnapshotException.Kind#WRONG_KEY} when the key file is missing or holds
     *                           another key than the store's data were written with
     */
    public static SnapshotStore open(BlobStore blobs, SnapshotSettings settings, InstantSource clock) {
        return guard("opening the snapshot store in " + blobs, () -> new SnapshotStore(blobs, settings, clock));
    }

    /** The id of the store key (the first 8 bytes of its SHA-256, in hex), as manifests record it. */
    public String keyId() {
        return keyId;
    }

    /**
     * Stores {@code state} as the VM's next version, writing only chunks the store does not hold.
     *
     * @param parent the version the state was saved against (it must exist), or empty
     */
    public Version commit(long vm, SavedState state, OptionalLong parent, Progress progress) {
        checkVm(vm);
        return withVm(vm, "committing a version of VM " + vm, () -> {
            if (parent.isPresent() && !manifests.exists(vm, parent.getAsLong())) {
                throw new SnapshotException(SnapshotException.Kind.INVALID, "parent of the new version of VM " + vm
                        + " must be one of its versions, got " + parent.getAsLong());
            }
            Long parentVersion = parent.isPresent() ? parent.getAsLong() : null;
            return committer.commit(vm, manifests.next(vm), parentVersion, state, progress);
        });
    }

    public Version commit(long vm, SavedState state, OptionalLong parent) {
        return commit(vm, state, parent, Progress.NONE);
    }

    /**
     * Uploads the chunks of a running VM's RAM file ahead of hibernation, so that the commit that
     * follows writes only what changed since. Writes no version.
     */
    public Precopy precopy(long vm, Path ramFile, Progress progress) {
        checkVm(vm);
        return shared("pre-copying the RAM of VM " + vm, () -> committer.precopy(vm, ramFile, progress));
    }

    /**
     * Writes the version's parts into {@code targetDir}, one file per part named after it, every
     * chunk verified; returns the state pointing at those files.
     */
    public SavedState materialize(long vm, long version, Path targetDir, Progress progress) {
        checkVm(vm);
        return shared("materializing VM " + vm + " version " + version, () ->
                restorer.materialize(manifests.read(vm, version), targetDir, progress));
    }

    public SavedState materialize(long vm, long version, Path targetDir) {
        return materialize(vm, version, targetDir, Progress.NONE);
    }

    /** Reads and checks every chunk of the version without writing anything; progress in bytes of the version. */
    public Verification verify(long vm, long version, Progress progress) {
        checkVm(vm);
        return shared("verifying VM " + vm + " version " + version, () ->
                restorer.verify(manifests.read(vm, version), progress));
    }

    public Verification verify(long vm, long version) {
        return verify(vm, version, Progress.NONE);
    }

    /** The VM's versions, oldest first. */
    public List<Version> versions(long vm) {
        checkVm(vm);
        return shared("listing the versions of VM " + vm, () ->
                manifests.of(vm).values().stream().map(Version::of).toList());
    }

    /** Forgets a version; its chunks go at the next garbage collection unless another version uses them. */
    public boolean delete(long vm, long version) {
        checkVm(vm);
        return withVm(vm, "deleting VM " + vm + " version " + version, () -> {
            committer.forget(vm, version);
            return manifests.delete(vm, version);
        });
    }

    /**
     * Deletes the versions {@code retention} does not keep, then packs without live chunks and
     * repacks mostly dead ones, sparing every pack younger than {@code grace}.
     */
    public GcReport gc(Retention retention, Duration grace) {
        return gc(retention, grace, Progress.NONE);
    }

    /** As {@link #gc(Retention, Duration)}, reporting packs examined and repacked of the packs to handle. */
    public GcReport gc(Retention retention, Duration grace, Progress progress) {
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("grace must be zero or more, got " + grace);
        }
        gcLock.writeLock().lock();
        try {
            return guard("collecting garbage", () -> {
                GcReport report = collector.collect(retention, grace, progress);
                report.deletedVersions().forEach(v -> committer.forget(v.vm(), v.number()));
                return report;
            });
        } finally {
            gcLock.writeLock().unlock();
        }
    }

    private <T> T shared(String action, Supplier<T> work) {
        gcLock.readLock().lock();
        try {
            return guard(action, work);
        } finally {
            gcLock.readLock().unlock();
        }
    }

    private <T> T withVm(long vm, String action, Supplier<T> work) {
        ReentrantLock lock = vmLocks.computeIfAbsent(vm, v -> new ReentrantLock());
        lock.lock();
        try {
            return shared(action, work);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Threads that hash, compress and seal blocks, one per core. Platform threads, since the work is
     * CPU-bound and each keeps its own MAC, cipher and zstd context; they end when idle, so a store
     * needs no closing.
     */
    private static ExecutorService workers(int parallelism) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(parallelism, parallelism, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("snapshot-worker-", 0).factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The verified manifest of a version, for tests. */
    Manifest manifest(long vm, long version) {
        return manifests.read(vm, version);
    }

    /** Bytes the last commit took from the parent's local copy without hashing them. */
    long lastCompared() {
        return committer.lastCompared();
    }

    private static <T> T guard(String action, Supplier<T> work) {
        try {
            return work.get();
        } catch (BlobException e) {
            SnapshotException.Kind kind = e.kind() == BlobException.Kind.NOT_FOUND
                    ? SnapshotException.Kind.NOT_FOUND : SnapshotException.Kind.FAILED;
            throw new SnapshotException(kind, action + " failed: " + e.getMessage(), e);
        }
    }

    private static void checkVm(long vm) {
        if (vm < 1) {
            throw new IllegalArgumentException("vm must be a VM id of 1 or more, got " + vm);
        }
    }
}
