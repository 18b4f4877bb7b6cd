package io.dormouse.front;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntConsumer;

/**
 * The splice where {@code splice(2)} cannot be had: each direction runs on its own virtual thread with a
 * pooled direct buffer, so no byte is copied through the Java heap: a small one first, a large one once a
 * read fills it (a bulk transfer), so that thousands of mostly idle connections do not hold a large buffer each.
 */
final class CopyLoop {

    /** Large enough that loopback throughput is bound by the kernel's copies, not by system calls. */
    static final int LARGE = 256 * 1024;
    static final int SMALL = 16 * 1024;
    private static final BlockingQueue<ByteBuffer> LARGE_POOL = new ArrayBlockingQueue<>(64);
    private static final BlockingQueue<ByteBuffer> SMALL_POOL = new ArrayBlockingQueue<>(1024);

    private CopyLoop() {
    }

    /**
     * Splices until both directions ended, then closes both channels. Blocks (call it on a virtual thread).
     *
     * @param in     counts bytes from the client to the VM
     * @param out    counts bytes from the VM to the client
     * @param bucket the VM's bandwidth limit
     * @param replied called once, when the VM's first bytes have been passed to the client
     */
    static void run(SocketChannel client, SocketChannel vm, IntConsumer in, IntConsumer out, TokenBucket bucket,
                    Runnable replied) throws InterruptedException {
        Thread back = Thread.ofVirtual().name("splice-out").start(() -> pump(vm, client, out, bucket, replied));
        try {
            pump(client, vm, in, bucket, () -> { });
            back.join();
        } finally {
            Splice.close(client);
            Splice.close(vm);
        }
    }

    private static void pump(SocketChannel from, SocketChannel to, IntConsumer counter, TokenBucket bucket,
                             Runnable first) {
        ByteBuffer buffer = buffer(SMALL_POOL, SMALL);
        boolean passed = false;
        try {
            while (true) {
                buffer.clear();
                buffer.limit(Math.min(buffer.capacity(), bucket.chunk()));
                int n = from.read(buffer);
                if (n < 0) {
                    to.shutdownOutput();
                    return;
                }
                Duration wait = bucket.take(n);
                if (wait.isPositive()) {
                    Thread.sleep(wait);
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                counter.accept(n);
                if (!passed) {
                    passed = true;
                    first.run();
                }
                if (n == SMALL && buffer.capacity() == SMALL) {
                    release(buffer);
                    buffer = buffer(LARGE_POOL, LARGE);
                }
            }
        } catch (IOException | InterruptedException e) {
            // one side failed or was reset: nothing more can pass either way
            Splice.close(from);
            Splice.close(to);
        } finally {
            release(buffer);
        }
    }

    private static ByteBuffer buffer(BlockingQueue<ByteBuffer> pool, int size) {
        ByteBuffer pooled = pool.poll();
        return pooled != null ? pooled : ByteBuffer.allocateDirect(size);
    }

    private static void release(ByteBuffer buffer) {
        (buffer.capacity() == LARGE ? LARGE_POOL : SMALL_POOL).offer(buffer);
    }
}
