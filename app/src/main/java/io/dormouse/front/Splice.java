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
 * side is passed on as a half-close (FIN) to the other, and an error on either closes both. On Linux,
 * with the socket descriptors reachable, {@link SpliceLoop}s move them with {@code splice(2)}; otherwise
 * the {@link CopyLoop} copies them, which moves each byte twice more through user space.
 */
final class Splice {

    private static final Logger LOG = LoggerFactory.getLogger(Splice.class);

    private Splice() {
    }

    /** The loops, one per core, started on first use; none when splice(2) cannot be had. */
    private static final class Loops {
        static final AtomicReferenceArray<SpliceLoop> STARTED;
        static final AtomicInteger NEXT = new AtomicInteger();

        static {
            String why = unavailable(System.getProperty("os.name"));
            if (why == null) {
                LOG.info("front door splices connections with splice(2) through pipes");
                STARTED = new AtomicReferenceArray<>(Runtime.getRuntime().availableProcessors());
            } else {
                LOG.info("front door copies connections through buffers: " + why);
                STARTED = null;
            }
        }
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
        SpliceLoop loop = Loops.STARTED == null ? null : loop();
        if (loop == null) {
            CopyLoop.run(client, vm, in, out, bucket, replied);
        } else {
            loop.run(client, vm, in, out, bucket, replied);
        }
    }

    private static SpliceLoop loop() {
        int i = Math.floorMod(Loops.NEXT.getAndIncrement(), Loops.STARTED.length());
        SpliceLoop loop = Loops.STARTED.get(i);
        if (loop != null && loop.running()) {
            return loop;
        }
        synchronized (Loops.STARTED) {
            loop = Loops.STARTED.get(i);
            if (loop == null || !loop.running()) {
                try {
                    Loops.STARTED.set(i, new SpliceLoop("front-splice-" + i));
                } catch (IOException e) {
                    // the selector needs descriptors; this connection is copied, the next one tries again
                    LOG.atWarn().log("cannot start a splice loop: " + e.getMessage());
                    return null;
                }
            }
            return Loops.STARTED.get(i);
        }
    }

    /** Why splice(2) cannot be used on this JVM, or null when it can. */
    static String unavailable(String os) {
        if (!"Linux".equals(os)) {
            return "splice(2) is Linux only, this is " + os;
        }
        if (Descriptor.unavailable() != null) {
            return Descriptor.unavailable();
        }
        try {
            Syscalls calls = new Syscalls();
            calls.close(calls.pipe());
            return null;
        } catch (IOException | RuntimeException | LinkageError e) {
            return "the native calls failed (" + e + "); the JVM may need --enable-native-access=ALL-UNNAMED";
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
