package io.dormouse.front;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * One direction of a spliced connection: reads from one non-blocking socket into a pooled direct buffer
 * and writes it to the other, until the source would block. It holds a buffer only while bytes are on
 * their way, a small one first and a large one once a read fills it (a bulk transfer), for as long as
 * reads keep bringing at least a small buffer's worth: a bulk stream that the loop catches up with
 * does not start again from a small buffer after each pause.
 */
final class Flow {

    /** What the flow waits for before its next {@link #step}. */
    enum Wait { READ, WRITE, TIMER, DONE }

    /**
     * Bytes moved at one readiness before the other connections of the loop get their turn: about half a
     * millisecond of copying on loopback.
     */
    private static final int TURN = 1024 * 1024;

    private final SpliceLoop loop;
    private final SocketChannel source;
    private final SocketChannel target;
    private final IntConsumer counter;
    private final TokenBucket bucket;
    private Runnable first;
    private ByteBuffer buffer;
    private boolean bulk;
    private boolean ended;
    private Wait wait = Wait.READ;
    private Duration pause = Duration.ZERO;

    /**
     * @param first called once, after the first bytes reached {@code target}
     */
    Flow(SpliceLoop loop, SocketChannel source, SocketChannel target, IntConsumer counter, TokenBucket bucket,
         Runnable first) {
        this.loop = loop;
        this.source = source;
        this.target = target;
        this.counter = counter;
        this.bucket = bucket;
        this.first = first;
    }

    Wait waits() {
        return wait;
    }

    /** How long the bandwidth limit holds the read bytes back, while {@link #waits()} is TIMER. */
    Duration pause() {
        return pause;
    }

    /** Moves what can be moved now; an end of stream is passed on as a half-close of the target. */
    void step() throws IOException {
        long moved = 0;
        while (true) {
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
            if (moved >= TURN) {
                // the source's readiness is level-triggered: the selector comes back here at once
                wait = Wait.READ;
                return;
            }
            if (buffer != null && bulk && buffer.capacity() < SpliceLoop.LARGE) {
                release();
            }
            if (buffer == null) {
                buffer = loop.buffer(bulk);
            }
            buffer.clear().limit(Math.min(buffer.capacity(), bucket.chunk()));
            int n = source.read(buffer);
            buffer.flip();
            if (n == 0) {
                release();
                wait = Wait.READ;
                return;
            }
            if (n < 0) {
                ended = true;
                continue;
            }
            moved += n;
            bulk = n >= SpliceLoop.SMALL;
            pause = bucket.take(n);
            if (pause.isPositive()) {
                wait = Wait.TIMER;
                return;
            }
        }
    }

    /** Writes the buffer's bytes to the target; false when the target is full. */
    private boolean drain() throws IOException {
        while (buffer != null && buffer.hasRemaining()) {
            int n = target.write(buffer);
            if (n == 0) {
                return false;
            }
            counter.accept(n);
            if (first != null) {
                Runnable once = first;
                first = null;
                once.run();
            }
        }
        return true;
    }

    /** Gives the buffer back to the loop's pool. */
    void release() {
        if (buffer != null) {
            loop.release(buffer);
            buffer = null;
        }
    }
}
