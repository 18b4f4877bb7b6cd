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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Reads a version back: every chunk is fetched from its pack (neighbouring records in one range
 * read), authenticated and checked against its id, then written into a sparse file where holes
 * stay unwritten. A part appears under its name only once all of it has been verified.
 */
final class Restorer {

    /** Neighbouring records closer than this are fetched in one read: fewer requests beat fewer bytes. */
    private static final long MERGE_GAP = 256 << 10;
    private static final long MAX_READ = 16 << 20;

    private final BlobStore blobs;
    private final ChunkIndex index;
    private final ChunkCodec codec;

    Restorer(BlobStore blobs, ChunkIndex index, ChunkCodec codec) {
        this.blobs = blobs;
        this.index = index;
        this.codec = codec;
    }

    /** Receives verified chunk contents. */
    private interface Sink {
        void write(long offset, byte[] data) throws IOException;
    }

    SavedState materialize(Manifest manifest, Path dir, Progress progress) {
        List<SavedState.Part> parts = new ArrayList<>();
        long[] done = {0};
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
                    }, n -> progress.update(done[0] += n, manifest.totalBytes()));
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
        long[] counts = new long[3];
        long[] done = {0};
        for (Manifest.Part part : manifest.parts()) {
            try {
                read(manifest, part, (offset, data) -> {
                    counts[0]++;
                    counts[1] += data.length;
                }, n -> progress.update(done[0] += n, manifest.totalBytes()));
            } catch (IOException e) {
                throw new IllegalStateException("verification writes nothing", e);
            }
            counts[2] += part.extents().stream().filter(Manifest.Extent::zero).mapToLong(Manifest.Extent::length).sum();
        }
        return new Verification(manifest.vm(), manifest.version(), counts[0], counts[1], counts[2]);
    }

    private record Wanted(Manifest.Extent extent, ChunkId id, ChunkIndex.Location location) {
    }

    private void read(Manifest manifest, Manifest.Part part, Sink sink, LongConsumer advanced)
            throws IOException {
        Map<String, List<Wanted>> byPack = new LinkedHashMap<>();
        for (Manifest.Extent extent : part.extents()) {
            if (extent.zero()) {
                advanced.accept(extent.length());
                continue;
            }
            ChunkId id = ChunkId.ofHex(extent.chunk());
            ChunkIndex.Location location = index.find(id);
            if (location == null) {
                throw new SnapshotException(SnapshotException.Kind.NOT_FOUND, "VM " + manifest.vm() + " version "
                        + manifest.version() + " part '" + part.name() + "' at offset " + extent.offset() + ": chunk " + id
                        + " is in no pack of the store");
            }
            byPack.computeIfAbsent(location.packId(), p -> new ArrayList<>()).add(new Wanted(extent, id, location));
        }
        for (Map.Entry<String, List<Wanted>> pack : byPack.entrySet()) {
            List<Wanted> wanted = pack.getValue();
            wanted.sort(Comparator.comparingLong(w -> w.location().offset()));
            int first = 0;
            while (first < wanted.size()) {
                long start = wanted.get(first).location().offset();
                long end = start + wanted.get(first).location().length();
                int last = first + 1;
                while (last < wanted.size()) {
                    ChunkIndex.Location next = wanted.get(last).location();
                    long nextEnd = Math.max(end, next.offset() + next.length());
                    if (next.offset() - end > MERGE_GAP || nextEnd - start > MAX_READ) {
                        break;
                    }
                    end = nextEnd;
                    last++;
                }
                String key = PackFormat.key(pack.getKey());
                byte[] range = blobs.getRange(key, start, Math.toIntExact(end - start));
                long rangeStart = start;
                List<Wanted> batch = wanted.subList(first, last);
                // decryption and decompression in parallel, writing in order on this thread
                List<byte[]> opened = batch.parallelStream().map(w -> {
                    int from = (int) (w.location().offset() - rangeStart);
                    byte[] record = Arrays.copyOfRange(range, from, from + w.location().length());
                    return codec.open(w.id(), record, "pack " + key + " at offset " + w.location().offset());
                }).toList();
                for (int i = 0; i < batch.size(); i++) {
                    Wanted w = batch.get(i);
                    byte[] data = opened.get(i);
                    if (data.length != w.extent().length()) {
                        throw new SnapshotException(SnapshotException.Kind.CORRUPT, "chunk " + w.id() + " holds "
                                + data.length + " bytes, manifest of VM " + manifest.vm() + " version " + manifest.version()
                                + " says " + w.extent().length());
                    }
                    sink.write(w.extent().offset(), data);
                    advanced.accept(data.length);
                }
                first = last;
            }
        }
    }
}
