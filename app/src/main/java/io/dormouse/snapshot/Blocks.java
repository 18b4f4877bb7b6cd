package io.dormouse.snapshot;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One pass over a page-aligned part, mapped into memory: batches of fixed blocks are checked for
 * zeros, compared with the parent's bytes, hashed, compressed and sealed on the worker threads, a
 * few batches ahead, and handed back in file order, so what the caller appends to packs does not
 * depend on thread timing. A batch seals its records into one array, reused by a later batch once
 * the caller is done with it: a gigabyte of RAM makes no gigabyte of garbage.
 */
final class Blocks {

    /** Bytes per batch: large enough that handing a batch over costs nothing, small enough to bound memory. */
    private static final long BATCH_BYTES = 4 << 20;
    private static final int ZERO_SPAN = 64 << 10;
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[ZERO_SPAN]);

    /**
     * What the workers found out about one batch; ids[i] null means a hole. Block i's record, when
     * this batch sealed it, is {@code recordLengths[i]} bytes of {@code records} at {@code recordOffsets[i]};
     * a length of 0 means none.
     */
    record Batch(int first, ChunkId[] ids, byte[] records, int[] recordOffsets, int[] recordLengths,
                 boolean[] fromParent, int[] lengths) {
    }

    /** Receives the batches in file order. */
    @FunctionalInterface
    interface Consumer {
        void accept(Batch batch, MemorySegment image) throws IOException;
    }

    private final ExecutorService workers;
    private final ChunkCodec codec;
    private final ChunkIndex index;
    private final int blockSize;
    private final int window;
    private final ThreadLocal<byte[]> buffers;
    private final Set<ChunkId> sealed = ConcurrentHashMap.newKeySet();
    private final Queue<byte[]> spareRecords = new ConcurrentLinkedQueue<>();

    Blocks(ExecutorService workers, int parallelism, ChunkCodec codec, ChunkIndex index, int blockSize) {
        this.workers = workers;
        this.codec = codec;
        this.index = index;
        this.blockSize = blockSize;
        this.window = 2 * parallelism + 1;
        this.buffers = ThreadLocal.withInitial(() -> new byte[blockSize]);
    }

    /**
     * {@code id} is in a durable pack, where the index finds it: its claim is dropped, so that the
     * claims stay as few as the chunks of the packs not yet written.
     */
    void durable(ChunkId id) {
        sealed.remove(id);
    }

    /** True when {@code length} bytes at {@code offset} are all zero (vectorized compare). */
    static boolean isZero(MemorySegment image, long offset, int length) {
        for (int done = 0; done < length; done += ZERO_SPAN) {
            int span = Math.min(ZERO_SPAN, length - done);
            if (MemorySegment.mismatch(image, offset + done, offset + done + span, ZEROS, 0, span) != -1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Scans {@code size} bytes of {@code file}; with {@code parent}, compares each block with the
     * parent's file first.
     */
    void scan(Path file, long size, ParentBlocks parent, Consumer consumer) throws IOException {
        if (size == 0) {
            return;
        }
        try (Arena arena = Arena.ofShared();
             FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel old = parent == null ? null : FileChannel.open(parent.stamp().file(), StandardOpenOption.READ)) {
            if (in.size() < size) {
                throw new IOException("the file ended at " + in.size() + " bytes, expected " + size);
            }
            MemorySegment image = in.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            MemorySegment before = old == null ? null : old.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            int blocks = Math.toIntExact((size + blockSize - 1) / blockSize);
            int perBatch = (int) Math.max(1, BATCH_BYTES / blockSize);
            Deque<Future<Batch>> pending = new ArrayDeque<>();
            int next = 0;
            try {
                while (next < blocks || !pending.isEmpty()) {
                    while (pending.size() < window && next < blocks) {
                        int first = next;
                        int count = Math.min(perBatch, blocks - first);
                        pending.add(workers.submit(() -> batch(image, size, first, count, parent, before)));
                        next += count;
                    }
                    Batch batch = await(pending.removeFirst());
                    consumer.accept(batch, image);
                    spareRecords.offer(batch.records());
                }
            } finally {
                // the mapping goes with the arena: no worker may still be reading it
                pending.forEach(f -> f.cancel(false));
                for (Future<Batch> f : pending) {
                    try {
                        f.get();
                    } catch (ExecutionException | CancellationException | InterruptedException ignored) {
                        // the failure being thrown is the one to report
                    }
                }
            }
        }
    }

    private Batch batch(MemorySegment image, long size, int first, int count, ParentBlocks parent, MemorySegment before) {
        int room = count * ChunkCodec.maxRecord(blockSize);
        byte[] records = spareRecords.poll();
        if (records == null || records.length < room) {
            records = new byte[room];
        }
        Batch out = new Batch(first, new ChunkId[count], records, new int[count], new int[count], new boolean[count],
                new int[count]);
        int used = 0;
        byte[] buffer = buffers.get();
        for (int i = 0; i < count; i++) {
            int block = first + i;
            long offset = (long) block * blockSize;
            int length = (int) Math.min(blockSize, size - offset);
            out.lengths[i] = length;
            if (before != null && MemorySegment.mismatch(image, offset, offset + length, before, offset, offset + length) == -1) {
                out.ids[i] = parent.id(block);
                out.fromParent[i] = true;
                continue;
            }
            if (isZero(image, offset, length)) {
                continue;
            }
            MemorySegment.copy(image, ValueLayout.JAVA_BYTE, offset, buffer, 0, length);
            ChunkId id = codec.id(buffer, 0, length);
            out.ids[i] = id;
            // another batch may seal the same chunk; the caller appends whichever comes first in file order
            if (!index.contains(id) && sealed.add(id)) {
                out.recordOffsets[i] = used;
                out.recordLengths[i] = codec.seal(id, buffer, 0, length, records, used);
                used += out.recordLengths[i];
            }
        }
        return out;
    }

    private static Batch await(Future<Batch> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotException(SnapshotException.Kind.FAILED, "interrupted while chunks were processed", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }
}
