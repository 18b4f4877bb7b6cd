package io.dormouse.front;

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

/**
 * Linux {@code splice(2)}, {@code pipe2(2)} and {@code close(2)}, all non-blocking, for one
 * thread: an instance keeps the errno of its last call. Java has no splice; FileChannel.transferTo between
 * sockets copies through a buffer.
 */
final class Syscalls {

    /** What {@link #splice} returns when the source is empty or the target full. */
    static final long WOULD_BLOCK = -1;

    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int SPLICE_F_MOVE = 1;
    private static final int SPLICE_F_NONBLOCK = 2;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SPLICE;
    private static final MethodHandle PIPE2;
    private static final MethodHandle CLOSE;

    static {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        SPLICE = linker.downcallHandle(libc.find("splice").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                errno);
        PIPE2 = linker.downcallHandle(libc.find("pipe2").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), errno);
        CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment state = arena.allocate(CALL_STATE);
    private final MemorySegment pair = arena.allocate(ValueLayout.JAVA_INT, 2);

    /**
     * Moves up to {@code max} bytes from {@code in} to {@code out}, one of which is a pipe: the bytes moved,
     * 0 at the end of {@code in}'s stream, or {@link #WOULD_BLOCK}.
     */
    long splice(int in, int out, long max) throws IOException {
        while (true) {
            long n;
            try {
                n = (long) SPLICE.invokeExact(state, in, MemorySegment.NULL, out, MemorySegment.NULL, max,
                        SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            } catch (Throwable e) {
                throw new IllegalStateException("splice(2) call failed", e);
            }
            if (n >= 0) {
                return n;
            }
            int errno = errno();
            if (errno == EAGAIN) {
                return WOULD_BLOCK;
            }
            if (errno != EINTR) {
                throw new IOException("splice from descriptor " + in + " to " + out + " failed: errno " + errno);
            }
        }
    }

    /**
     * A new non-blocking pipe. It keeps the system's default size (64 KiB): 256 KiB and 1 MiB pipes
     * (F_SETPIPE_SZ) moved no more per second on loopback, and count against the user's pipe quota.
     */
    Pipe pipe() throws IOException {
        int result;
        try {
            result = (int) PIPE2.invokeExact(state, pair, O_NONBLOCK | O_CLOEXEC);
        } catch (Throwable e) {
            throw new IllegalStateException("pipe2(2) call failed", e);
        }
        if (result < 0) {
            throw new IOException("cannot create a pipe: errno " + errno());
        }
        return new Pipe(pair.getAtIndex(ValueLayout.JAVA_INT, 0), pair.getAtIndex(ValueLayout.JAVA_INT, 1));
    }

    void close(Pipe pipe) {
        close(pipe.readEnd());
        close(pipe.writeEnd());
    }

    private static void close(int fd) {
        try {
            // close(2) releases the descriptor even when it reports an error
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new IllegalStateException("close(2) call failed", e);
        }
    }

    private int errno() {
        return (int) ERRNO.get(state, 0L);
    }
}
