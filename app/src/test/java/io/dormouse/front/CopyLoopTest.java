package io.dormouse.front;

import java.nio.channels.SocketChannel;
import java.util.function.IntConsumer;

/** The copy loop, which splices where {@code splice(2)} cannot be had. */
class CopyLoopTest extends SpliceContract {

    @Override
    void splice(SocketChannel client, SocketChannel vm, IntConsumer in, IntConsumer out, TokenBucket bucket,
                Runnable replied) throws InterruptedException {
        CopyLoop.run(client, vm, in, out, bucket, replied);
    }
}
