package io.dormouse.front;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection spliced by a {@link SpliceLoop}: its two {@link Flow}s and the selection key of each
 * socket, whose interest is what the flow reading it and the flow writing it wait for. Used only on
 * the loop's thread.
 */
final class Spliced {

    private static final Logger LOG = LoggerFactory.getLogger(Spliced.class);

    private final SpliceLoop loop;
    private final SocketChannel client;
    private final SocketChannel vm;
    private final Flow inbound;
    private final Flow outbound;
    private final CountDownLatch done = new CountDownLatch(1);
    private SelectionKey clientKey;
    private SelectionKey vmKey;
    private boolean closed;

    Spliced(SpliceLoop loop, SocketChannel client, SocketChannel vm, IntConsumer in, IntConsumer out,
            TokenBucket bucket, Runnable replied) {
        this.loop = loop;
        this.client = client;
        this.vm = vm;
        this.inbound = new Flow(loop, client, vm, in, bucket, null);
        this.outbound = new Flow(loop, vm, client, out, bucket, replied);
    }

    /** Registers both sockets with the loop's selector; on the loop's thread. */
    void start() {
        try {
            client.configureBlocking(false);
            vm.configureBlocking(false);
            clientKey = loop.register(client, this);
            vmKey = loop.register(vm, this);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Steps the flows that waited for what {@code key}'s socket is ready for. */
    void ready(SelectionKey key) {
        if (closed) {
            return;
        }
        boolean atClient = key == clientKey;
        try {
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_READ) != 0) {
                step(atClient ? inbound : outbound, Flow.Wait.READ);
            }
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                step(atClient ? outbound : inbound, Flow.Wait.WRITE);
            }
            settle();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Steps {@code flow} once the bandwidth limit's pause is over. */
    void resume(Flow flow) {
        if (closed) {
            return;
        }
        try {
            step(flow, Flow.Wait.TIMER);
            settle();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void step(Flow flow, Flow.Wait waited) throws IOException {
        if (flow.waits() == waited) {
            flow.step();
            if (flow.waits() == Flow.Wait.TIMER) {
                loop.schedule(flow.pause(), () -> resume(flow));
            }
        }
    }

    private void settle() {
        if (inbound.waits() == Flow.Wait.DONE && outbound.waits() == Flow.Wait.DONE) {
            close();
            return;
        }
        interest(clientKey, inbound, outbound);
        interest(vmKey, outbound, inbound);
    }

    private static void interest(SelectionKey key, Flow reading, Flow writing) {
        int ops = (reading.waits() == Flow.Wait.READ ? SelectionKey.OP_READ : 0)
                | (writing.waits() == Flow.Wait.WRITE ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    private void fail(Exception e) {
        // an I/O error is one side failing or being reset, a cancelled key a socket closed elsewhere
        // (the gate, when interrupted): nothing more can pass either way
        if (e instanceof RuntimeException && !(e instanceof CancelledKeyException)) {
            LOG.atWarn().setCause(e).log("front door splice failed; closing the connection");
        }
        close();
    }

    /** Closes both sockets and gives back the buffers; on the loop's thread. */
    void close() {
        if (!closed) {
            closed = true;
            inbound.release();
            outbound.release();
            Splice.close(client);
            Splice.close(vm);
            done.countDown();
        }
    }

    /** Waits until the connection is closed. */
    void await() throws InterruptedException {
        done.await();
    }
}
