package io.dormouse.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A splice(2) loop on real sockets, and the descriptors it holds: pipes only while bytes are in flight. */
class SpliceLoopTest extends SpliceContract {

    /** The loop's own: its selector (an epoll and a wake-up pipe) and its pool of empty pipes. */
    private static final int LOOP_DESCRIPTORS = 4 + 2 * 16;

    private SpliceLoop loop;

    @BeforeEach
    void startLoop() throws IOException {
        assertThat(Splice.unavailable(System.getProperty("os.name")))
                .as("splice(2) is available to this JVM (Linux, --add-exports java.base/sun.nio.ch=ALL-UNNAMED)")
                .isNull();
        loop = new SpliceLoop("test-splice");
    }

    @AfterEach
    void closeLoop() throws InterruptedException {
        loop.close();
    }

    @Override
    void splice(SocketChannel client, SocketChannel vm, IntConsumer in, IntConsumer out, TokenBucket bucket,
                Runnable replied) throws InterruptedException {
        loop.run(client, vm, in, out, bucket, replied);
    }

    @Test
    void everyDescriptorIsClosedAfterManyConnectionsEndedEachWay() throws Exception {
        loop.close();
        long start = descriptors();
        loop = new SpliceLoop("test-splice");
        for (int round = 0; round < 50; round++) {
            Connection halfClosed = connection();
            write(halfClosed.client.peer(), "ping");
            halfClosed.client.peer().shutdownOutput();
            assertThat(read(halfClosed.vm.peer(), 4)).isEqualTo("ping");
            write(halfClosed.vm.peer(), "pong");
            halfClosed.vm.peer().shutdownOutput();
            assertThat(read(halfClosed.client.peer(), 4)).isEqualTo("pong");
            halfClosed.awaitEnd();

            Connection reset = connection();
            write(reset.vm.peer(), "data");
            reset.client.peer().setSoLinger(true, 0);
            reset.client.peer().close();
            reset.awaitEnd();

            Connection interrupted = connection();
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    interrupted.client.peer().getOutputStream().write(new byte[4 << 20]);
                } catch (IOException e) {
                    // the splice was interrupted and closed the connection
                }
            });
            interrupted.vm.peer().getInputStream().readNBytes(1);
            interrupted.thread.interrupt();
            assertThat(ended(interrupted.client.peer())).isTrue();
            sender.join();
            for (Connection c : List.of(halfClosed, reset, interrupted)) {
                c.closePeers();
            }
        }
        awaitDescriptors(start + LOOP_DESCRIPTORS, "while the loop runs: its selector and pooled pipes only");
        loop.close();
        awaitDescriptors(start, "once the loop closed");
    }

    @Test
    void idleConnectionsHoldNoPipes() throws Exception {
        long start = descriptors();
        List<Connection> idle = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Connection c = connection();
            write(c.client.peer(), "hello");
            assertThat(read(c.vm.peer(), 5)).isEqualTo("hello");
            write(c.vm.peer(), "hi");
            assertThat(read(c.client.peer(), 2)).isEqualTo("hi");
            idle.add(c);
        }
        // each connection: the front door's two sockets and the test's two peers
        awaitDescriptors(start + 4L * idle.size() + LOOP_DESCRIPTORS, "with " + idle.size() + " idle connections");
        for (Connection c : idle) {
            c.closePeers();
            c.awaitEnd();
        }
    }

    private void awaitDescriptors(long most, String when) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long now = descriptors();
        while (now > most && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = descriptors();
        }
        assertThat(now).as("open descriptors " + when).isLessThanOrEqualTo(most);
    }

    private static long descriptors() {
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            return open.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
