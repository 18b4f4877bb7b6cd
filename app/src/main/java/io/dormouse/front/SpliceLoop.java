package io.dormouse.front;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A platform thread that splices many connections: it waits on one selector for their non-blocking
 * sockets and reads and writes them itself, so a wake-up is one thread switch, not two (the JDK's
 * poller, then a carrier). Why copies and not {@code splice(2)}: docs/front.md, "Performance".
 */
final class SpliceLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpliceLoop.class);
    /**
     * A bulk transfer's buffer. On loopback 1 MiB took 10 % less CPU per byte than 256 KiB and moved
     * 15 to 25 % more per second (fewer reads, writes and acknowledgements); 2 and 4 MiB moved no more.
     */
    static final int LARGE = 1024 * 1024;
    static final int SMALL = 16 * 1024;
    /** Buffers of each size kept for the next transfer: at most 8 MiB of large ones per loop. */
    static final int POOLED = 8;
    /**
     * Large buffers in use across all loops at most (256 MiB of direct memory): past it, bulk transfers
     * read through small buffers, slower but without running the JVM out of direct memory, which would
     * end every connection of a loop.
     */
    static final int MAX_LARGE_IN_USE = 256;
    private static final AtomicInteger LARGE_IN_USE = new AtomicInteger();

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(Comparator.comparingLong(Timer::at));
    private final ArrayDeque<ByteBuffer> small = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> large = new ArrayDeque<>();
    private volatile boolean closing;
    /** Guarded by {@code tasks}: set once the loop takes no more tasks. */
    private boolean ended;

    private record Timer(long at, Runnable task) {
    }

    SpliceLoop(String name) throws IOException {
        selector = Selector.open();
        thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    /**
     * Splices until both directions ended, then closes both channels. Blocks (call it on a virtual thread);
     * an interrupt closes the connection.
     *
     * @param in      counts bytes from the client to the VM
     * @param out     counts bytes from the VM to the client
     * @param bucket  the VM's bandwidth limit
     * @param replied called once, when the VM's first bytes have been passed to the client
     */
    void run(SocketChannel client, SocketChannel vm, IntConsumer in, IntConsumer out, TokenBucket bucket,
             Runnable replied) throws InterruptedException {
        Spliced spliced = new Spliced(this, client, vm, in, out, bucket, replied);
        execute(spliced::start);
        try {
            spliced.await();
        } catch (InterruptedException e) {
            execute(spliced::close);
            throw e;
        }
    }

    private void execute(Runnable task) {
        synchronized (tasks) {
            if (!ended) {
                tasks.add(task);
                selector.wakeup();
                return;
            }
        }
        // the loop ended: registering on its closed selector fails, which closes the connection at once
        task.run();
    }

    private void loop() {
        try {
            while (!closing) {
                Timer next = timers.peek();
                long millis = next == null ? 0 : Math.max(1, Duration.ofNanos(next.at - System.nanoTime()).toMillis());
                selector.select(key -> ((Spliced) key.attachment()).ready(key), millis);
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                while (!timers.isEmpty() && timers.peek().at - System.nanoTime() <= 0) {
                    timers.poll().task.run();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.atError().setCause(e).log("front door splice loop " + Thread.currentThread().getName() + " failed");
        } finally {
            for (SelectionKey key : selector.keys()) {
                ((Spliced) key.attachment()).close();
            }
            try {
                selector.close();
            } catch (IOException e) {
                LOG.atWarn().setCause(e).log("closing the selector of " + Thread.currentThread().getName() + " failed");
            }
            synchronized (tasks) {
                ended = true;
            }
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        }
    }

    /** False once the loop ended, closed or failed. */
    boolean running() {
        return thread.isAlive() && !closing;
    }

    /** Ends the loop, closing the connections it still splices. */
    @Override
    public void close() throws InterruptedException {
        if (!closing) {
            closing = true;
            selector.wakeup();
        }
        thread.join();
    }

    // the rest is called on the loop's thread

    SelectionKey register(SocketChannel channel, Spliced spliced) throws IOException {
        return channel.register(selector, SelectionKey.OP_READ, spliced);
    }

    void schedule(Duration after, Runnable task) {
        timers.add(new Timer(System.nanoTime() + after.toNanos(), task));
    }

    /** A buffer for the next read: a large one for a bulk transfer, while the budget of large ones lasts. */
    ByteBuffer buffer(boolean bulk) {
        if (bulk && LARGE_IN_USE.incrementAndGet() > MAX_LARGE_IN_USE) {
            LARGE_IN_USE.decrementAndGet();
            bulk = false;
        }
        ByteBuffer pooled = (bulk ? large : small).poll();
        return pooled != null ? pooled : ByteBuffer.allocateDirect(bulk ? LARGE : SMALL);
    }

    /** Large buffers in use (read into or being written out) across all loops. */
    static int largeInUse() {
        return LARGE_IN_USE.get();
    }

    void release(ByteBuffer buffer) {
        if (buffer.capacity() == LARGE) {
            LARGE_IN_USE.decrementAndGet();
        }
        ArrayDeque<ByteBuffer> pool = buffer.capacity() == LARGE ? large : small;
        if (pool.size() < POOLED) {
            pool.push(buffer);
        }
    }
}
