package io.dormouse.hypervisor.qemu;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a RAM file over a target of the same size by its data extents only: a guest's RAM
 * file has holes where the guest never wrote, and copying them as zeros is a quarter of the
 * wake's copy time for the demo guest. Java has no {@code SEEK_DATA}, hence {@code lseek}.
 */
final class SparseCopy {

    private static final int O_RDONLY = 0;
    private static final int SEEK_END = 2;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final int ENXIO = 6;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN;
    private static final MethodHandle LSEEK;
    private static final MethodHandle CLOSE;

    static {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        OPEN = linker.downcallHandle(libc.find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT),
                Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
        LSEEK = linker.downcallHandle(libc.find("lseek").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
        CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private SparseCopy() {
    }

    /**
     * Makes {@code target} (an existing file of the same size, possibly mapped by a waiting
     * process) equal to {@code source}: copies the source's data extents, and zeros over
     * whatever data the target has where the source has holes.
     */
    static void copyOver(Path source, Path target) throws IOException {
        List<long[]> ranges = merge(dataExtents(source), dataExtents(target));
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
            if (in.size() != out.size()) {
                throw new IOException("target " + target + " has " + out.size() + " bytes, the RAM file "
                        + source + " has " + in.size());
            }
            for (long[] range : ranges) {
                long end = Math.min(range[1], in.size());
                for (long done = range[0]; done < end; ) {
                    long n = in.transferTo(done, end - done, out.position(done));
                    if (n <= 0) {
                        throw new IOException("copy of " + source + " stopped at byte " + done);
                    }
                    done += n;
                }
            }
        }
    }

    /** The file's data extents as {start, end} pairs, in order (holes read as zeros). */
    static List<long[]> dataExtents(Path file) throws IOException {
        List<long[]> extents = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(file.toString()), O_RDONLY, 0);
            if (fd < 0) {
                throw new IOException("cannot open " + file + ": errno " + errno(state));
            }
            try {
                long size = (long) LSEEK.invokeExact(state, fd, 0L, SEEK_END);
                for (long pos = 0; pos < size; ) {
                    long data = (long) LSEEK.invokeExact(state, fd, pos, SEEK_DATA);
                    if (data < 0) {
                        if (errno(state) == ENXIO) {
                            break;
                        }
                        throw new IOException("SEEK_DATA in " + file + " failed: errno " + errno(state));
                    }
                    long hole = (long) LSEEK.invokeExact(state, fd, data, SEEK_HOLE);
                    if (hole < 0) {
                        throw new IOException("SEEK_HOLE in " + file + " failed: errno " + errno(state));
                    }
                    extents.add(new long[] {data, hole});
                    pos = hole;
                }
            } finally {
                // a read-only descriptor: nothing is lost if close fails
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("native call failed", e);
        }
        return extents;
    }

    /** The union of two ordered lists of ranges, ordered, overlapping and touching ranges joined. */
    static List<long[]> merge(List<long[]> a, List<long[]> b) {
        List<long[]> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort((x, y) -> Long.compare(x[0], y[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] range : all) {
            long[] last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && range[0] <= last[1]) {
                last[1] = Math.max(last[1], range[1]);
            } else {
                merged.add(new long[] {range[0], range[1]});
            }
        }
        return merged;
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
