package io.dormouse.front;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A platform thread that splices many connections: it waits on one selector for any of their sockets,
 * then calls {@code splice(2)} itself. The sockets are non-blocking, so no call blocks the thread, and a
 * wake-up costs one thread switch, where a virtual thread per direction would add a second one (the
 * JDK's poller, then a carrier). An idle connection costs two selection keys and a parked virtual thread
 * in {@link #run}; pipes are pooled and held only while bytes are in them.
 */
final class SpliceLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpliceLoop.class);
    /** Empty pipes kept for the next transfer; their pages are freed when empty, only descriptors stay. */
    private static final int POOLED = 16;

    private final Selector selector;
    private final Thread thread;
    private final Syscalls calls = new Syscalls();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(Comparator.comparingLong(Timer::at));
    private final ArrayDeque<Pipe> pool = new ArrayDeque<>();
    private volatile boolean closing;

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
        tasks.add(task);
        selector.wakeup();
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
            LOG.atError().setCause(e).log("front door splice loop " + thread.getName() + " failed");
        } finally {
            for (SelectionKey key : selector.keys()) {
                ((Spliced) key.attachment()).close();
            }
            pool.forEach(calls::close);
            pool.clear();
            try {
                selector.close();
            } catch (IOException e) {
                LOG.atWarn().setCause(e).log("closing the selector of " + thread.getName() + " failed");
            }
            // connections handed over meanwhile fail to register on the closed selector, which closes them
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
        closing = true;
        selector.wakeup();
        thread.join();
    }

    // the rest is called on the loop's thread

    Syscalls calls() {
        return calls;
    }

    SelectionKey register(SocketChannel channel, Spliced spliced) throws IOException {
        return channel.register(selector, SelectionKey.OP_READ, spliced);
    }

    void schedule(Duration after, Runnable task) {
        timers.add(new Timer(System.nanoTime() + after.toNanos(), task));
    }

    Pipe pipe() throws IOException {
        Pipe pooled = pool.poll();
        return pooled != null ? pooled : calls.pipe();
    }

    void release(Pipe pipe, boolean empty) {
        if (empty && pool.size() < POOLED) {
            pool.push(pipe);
        } else {
            calls.close(pipe);
        }
    }
}
