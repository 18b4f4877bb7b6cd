package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import io.dormouse.hypervisor.SavedState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Reads a version back: every chunk is fetched from its pack (neighbouring records in one range
 * read, a few reads at a time), authenticated and checked against its id, then written into a
 * sparse file where holes stay unwritten. A part appears under its name only once all of it has
 * been verified.
 */
final class Restorer {

    /** Range reads in flight per part: enough to hide an object store's latency and use every core. */
    private static final int PARALLEL_READS = 4;

    private final BlobStore blobs;
    private final ChunkIndex index;
    private final ChunkCodec codec;

    Restorer(BlobStore blobs, ChunkIndex index, ChunkCodec codec) {
        this.blobs = blobs;
        this.index = index;
        this.codec = codec;
    }

    /** Receives verified chunk contents, from several threads at once. */
    private interface Sink {
        void write(long offset, byte[] data) throws IOException;
    }

    SavedState materialize(Manifest manifest, Path dir, Progress progress) {
        List<SavedState.Part> parts = new ArrayList<>();
        LongConsumer advanced = counter(progress, manifest.totalBytes());
        try {
            Files.createDirectories(dir);
            for (Manifest.Part part : manifest.parts()) {
                Path target = dir.resolve(part.name());
                // an older copy must not pass for this version if this one fails half-way
                Files.deleteIfExists(target);
                Path partial = dir.resolve("." + part.name() + ".partial");
                try (RandomAccessFile file = new RandomAccessFile(partial.toFile(), "rw")) {
                    file.setLength(0);
                    file.setLength(part.size());
                    FileChannel out = file.getChannel();
                    read(manifest, part, (offset, data) -> {
                        ByteBuffer buffer = ByteBuffer.wrap(data);
                        while (buffer.hasRemaining()) {
                            out.write(buffer, offset + buffer.position());
                        }
                    }, advanced);
                    out.force(true);
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(partial);
                    throw e;
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                parts.add(new SavedState.Part(part.name(), target, part.layout(), part.size()));
            }
        } catch (IOException | RuntimeException e) {
            // all parts or none: a restore must not start from some parts of this version and some of another
            parts.forEach(p -> deleteQuietly(p.file()));
            if (e instanceof IOException io) {
                throw new SnapshotException(SnapshotException.Kind.FAILED, "materializing VM " + manifest.vm()
                        + " version " + manifest.version() + " into " + dir + " failed (" + io + ")", io);
            }
            throw (RuntimeException) e;
        }
        progress.update(manifest.totalBytes(), manifest.totalBytes());
        return new SavedState(parts, manifest.qemuVersion(), manifest.machineFingerprint(),
                Duration.ofMillis(manifest.pausedMillis()));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the original failure is the one to report
        }
    }

    Verification verify(Manifest manifest, Progress progress) {
        AtomicLong chunks = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long holes = 0;
        LongConsumer advanced = counter(progress, manifest.totalBytes());
        for (Manifest.Part part : manifest.parts()) {
            try {
                read(manifest, part, (offset, data) -> {
                    chunks.incrementAndGet();
                    bytes.addAndGet(data.length);
                }, advanced);
            } catch (IOException e) {
                throw new IllegalStateException("verification writes nothing", e);
            }
            holes += part.extents().stream().filter(Manifest.Extent::zero).mapToLong(Manifest.Extent::length).sum();
        }
        checkPacks(manifest);
        return new Verification(manifest.vm(), manifest.version(), chunks.get(), bytes.get(), holes);
    }

    /**
     * Checks every pack the version reads as a whole, so that damage outside the records read (header,
     * trailer, other records) does not go unseen until a repack: its structure and name
     * ({@link PackFormat#check}), and for format 2 each record the version did not read, opened and
     * checked against its chunk id (a format 1 pack's name covers all its bytes).
     */
    private void checkPacks(Manifest manifest) {
        Set<String> packs = new TreeSet<>();
        Set<ChunkId> read = new HashSet<>();
        for (Manifest.Part part : manifest.parts()) {
            for (Manifest.Extent extent : part.extents()) {
                if (!extent.zero()) {
                    ChunkId id = ChunkId.ofHex(extent.chunk());
                    read.add(id);
                    packs.add(index.find(id).packId());
                }
            }
        }
        String of = " of VM " + manifest.vm() + " version " + manifest.version();
        for (String packId : packs) {
            String key = PackFormat.key(packId);
            byte[] pack = blobs.get(key);
            PackFormat.Contents contents = PackFormat.check(key + of, packId, pack);
            if (pack[PackFormat.MAGIC.length] == 1) {
                continue; // its name covers every byte
            }
            for (PackEntry entry : contents.entries()) {
                if (!read.contains(entry.id())) {
                    int at = (int) entry.offset();
                    codec.open(entry.id(), Arrays.copyOfRange(pack, at, at + entry.length()), "pack " + key + " at offset " + at);
                }
            }
        }
    }

    /** Sums the bytes done across reading threads and reports them, one report at a time. */
    private static LongConsumer counter(Progress progress, long total) {
        long[] done = {0};
        return n -> {
            synchronized (done) {
                done[0] += n;
                progress.update(done[0], total);
            }
        };
    }

    /** Runs the part's range reads a few at a time; each read verifies its chunks and hands them to the sink. */
    private void read(Manifest manifest, Manifest.Part part, Sink sink, LongConsumer advanced) throws IOException {
        part.extents().stream().filter(Manifest.Extent::zero).forEach(hole -> advanced.accept(hole.length()));
        List<ReadPlan.Read> reads = ReadPlan.of(manifest, part, index);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_READS, Thread.ofVirtual().name("chunk-read").factory());
        try {
            List<Future<Void>> pending = new ArrayList<>();
            for (ReadPlan.Read read : reads) {
                pending.add(pool.submit(() -> {
                    fetch(manifest, read, sink, advanced);
                    return null;
                }));
            }
            for (Future<Void> future : pending) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotException(SnapshotException.Kind.FAILED, "interrupted while reading VM " + manifest.vm()
                    + " version " + manifest.version(), e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                default -> throw new IllegalStateException(e.getCause());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void fetch(Manifest manifest, ReadPlan.Read read, Sink sink, LongConsumer advanced) throws IOException {
        String key = PackFormat.key(read.packId());
        byte[] range = blobs.getRange(key, read.start(), Math.toIntExact(read.end() - read.start()));
        for (ReadPlan.Wanted w : read.chunks()) {
            int from = (int) (w.location().offset() - read.start());
            byte[] record = Arrays.copyOfRange(range, from, from + w.location().length());
            byte[] data = codec.open(w.id(), record, "pack " + key + " at offset " + w.location().offset());
            if (data.length != w.extent().length()) {
                throw new SnapshotException(SnapshotException.Kind.CORRUPT, "chunk " + w.id() + " holds " + data.length
                        + " bytes, manifest of VM " + manifest.vm() + " version " + manifest.version() + " says "
                        + w.extent().length());
            }
            sink.write(w.extent().offset(), data);
            advanced.accept(data.length);
        }
    }
}
