package io.dormouse.front;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes bytes both ways between a client and its VM until both sides are done: an end of stream on one
 * side is passed on as a half-close (FIN) to the other, and an error on either closes both. The work is
 * spread over {@link SpliceLoop}s, one per core, each started on first use.
 */
final class Splice {

    private static final Logger LOG = LoggerFactory.getLogger(Splice.class);
    private static final AtomicReferenceArray<SpliceLoop> LOOPS =
            new AtomicReferenceArray<>(Runtime.getRuntime().availableProcessors());
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Splice() {
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
        SpliceLoop loop;
        try {
            loop = loop(Math.floorMod(NEXT.getAndIncrement(), LOOPS.length()));
        } catch (IOException e) {
            // a selector needs descriptors: the process is out of them, as this connection soon would be
            LOG.atWarn().log("front door cannot start a splice loop, closing the connection: " + e.getMessage());
            close(client);
            close(vm);
            return;
        }
        loop.run(client, vm, in, out, bucket, replied);
    }

    /** The {@code i}th loop, started anew if it never ran or ended. */
    private static SpliceLoop loop(int i) throws IOException {
        SpliceLoop loop = LOOPS.get(i);
        if (loop != null && loop.running()) {
            return loop;
        }
        synchronized (LOOPS) {
            loop = LOOPS.get(i);
            if (loop == null || !loop.running()) {
                loop = new SpliceLoop("front-splice-" + i);
                LOOPS.set(i, loop);
            }
            return loop;
        }
    }

    static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing releases the descriptor even when it reports an error
        }
    }
}
