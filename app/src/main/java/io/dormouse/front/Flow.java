package io.dormouse.front;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * One direction of a spliced connection: moves bytes from one socket through a pipe into the other with
 * {@code splice(2)}, so they never leave the kernel, until the source would block. It holds a pipe only
 * while bytes are on their way: an idle direction gives its pipe back to the loop's pool.
 */
final class Flow {

    /** What the flow waits for before its next {@link #step}. */
    enum Wait { READ, WRITE, TIMER, DONE }

    /** Pipe-fulls moved at one readiness before other connections get their turn. */
    private static final int ROUNDS = 16;
    /** The most one splice asks for: a pipe takes less (64 KiB by default), the rest waits for the next. */
    private static final int MOST = 1 << 20;

    private final SpliceLoop loop;
    private final int from;
    private final int to;
    private final SocketChannel target;
    private final IntConsumer counter;
    private final TokenBucket bucket;
    private Runnable first;
    private Pipe pipe;
    private long pending;
    private boolean ended;
    private Wait wait = Wait.READ;
    private Duration pause = Duration.ZERO;

    /**
     * @param first called once, after the first bytes reached {@code target}
     */
    Flow(SpliceLoop loop, int from, int to, SocketChannel target, IntConsumer counter, TokenBucket bucket,
         Runnable first) {
        this.loop = loop;
        this.from = from;
        this.to = to;
        this.target = target;
        this.counter = counter;
        this.bucket = bucket;
        this.first = first;
    }

    Wait waits() {
        return wait;
    }

    /** How long the bandwidth limit holds the bytes in the pipe back, while {@link #waits()} is TIMER. */
    Duration pause() {
        return pause;
    }

    /** Moves what can be moved now; an end of stream is passed on as a half-close of the target. */
    void step() throws IOException {
        for (int round = 0; ; round++) {
            if (!drain()) {
                wait = Wait.WRITE;
                return;
            }
            if (ended) {
                target.shutdownOutput();
                release();
                wait = Wait.DONE;
                return;
            }
            if (round == ROUNDS) {
                // the source's readiness is level-triggered: the selector comes back here at once
                wait = Wait.READ;
                return;
            }
            if (pipe == null) {
                pipe = loop.pipe();
            }
            long n = loop.calls().splice(from, pipe.writeEnd(), Math.min(MOST, bucket.chunk()));
            if (n == Syscalls.WOULD_BLOCK) {
                release();
                wait = Wait.READ;
                return;
            }
            if (n == 0) {
                ended = true;
                continue;
            }
            pending = n;
            pause = bucket.take(n);
            if (pause.isPositive()) {
                wait = Wait.TIMER;
                return;
            }
        }
    }

    /** Writes the pipe's bytes to the target; false when the target is full. */
    private boolean drain() throws IOException {
        while (pending > 0) {
            long n = loop.calls().splice(pipe.readEnd(), to, pending);
            if (n == Syscalls.WOULD_BLOCK) {
                return false;
            }
            pending -= n;
            counter.accept((int) n);
            if (first != null) {
                Runnable once = first;
                first = null;
                once.run();
            }
        }
        return true;
    }

    /** Gives the pipe back: to the pool when empty, closed when bytes were left in it. */
    void release() {
        if (pipe != null) {
            loop.release(pipe, pending == 0);
            pipe = null;
            pending = 0;
        }
    }
}
