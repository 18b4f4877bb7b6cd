package io.dormouse.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A splice loop on real loopback sockets, a test's peer on each side (the client's and the VM's), and
 * what it holds: descriptors and buffers only while connections are open and bytes are in flight.
 */
class SpliceLoopTest {

    private SpliceLoop loop;

    /** The front door's socket of one side and the test's peer at its other end. */
    record Side(SocketChannel front, Socket peer) {
    }

    /** A connection being spliced, with what the splice counted. */
    final class Connection {
        final Side client;
        final Side vm;
        final AtomicLong in = new AtomicLong();
        final AtomicLong out = new AtomicLong();
        final AtomicInteger replied = new AtomicInteger();
        final ConcurrentLinkedQueue<Integer> chunks = new ConcurrentLinkedQueue<>();
        final Thread thread;
        volatile Throwable failed;

        Connection(TokenBucket bucket) throws IOException {
            client = side();
            vm = side();
            thread = Thread.ofVirtual().start(() -> {
                try {
                    splice(client.front(), vm.front(), n -> {
                        in.addAndGet(n);
                        chunks.add(n);
                    }, n -> {
                        out.addAndGet(n);
                        chunks.add(n);
                    }, bucket, replied::incrementAndGet);
                } catch (InterruptedException | RuntimeException e) {
                    failed = e;
                }
            });
        }

        /** Waits for the splice to return, and checks it closed both of its sockets. */
        void awaitEnd() throws InterruptedException {
            assertThat(thread.join(Duration.ofSeconds(10))).as("the splice returned").isTrue();
            assertThat(failed).isNull();
            assertThat(client.front().isOpen()).as("the client's socket is closed").isFalse();
            assertThat(vm.front().isOpen()).as("the VM's socket is closed").isFalse();
        }

        void closePeers() throws IOException {
            client.peer().close();
            vm.peer().close();
        }
    }

    private ServerSocketChannel listener;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        loop = new SpliceLoop("test-splice");
    }

    @AfterEach
    void closeAll() throws IOException, InterruptedException {
        for (Connection c : connections) {
            c.closePeers();
            Splice.close(c.client.front());
            Splice.close(c.vm.front());
        }
        listener.close();
        loop.close();
    }

    private void splice(SocketChannel client, SocketChannel vm, IntConsumer in, IntConsumer out, TokenBucket bucket,
                        Runnable replied) throws InterruptedException {
        loop.run(client, vm, in, out, bucket, replied);
    }

    /** A connected pair of sockets on loopback, set up as the front door sets up its own. */
    private Side side() throws IOException {
        Socket peer = new Socket();
        peer.connect(listener.getLocalAddress(), 5000);
        peer.setSoTimeout(10_000);
        SocketChannel front = listener.accept();
        front.socket().setTcpNoDelay(true);
        return new Side(front, peer);
    }

    Connection connection() throws IOException {
        return connection(new TokenBucket(InstantSource.system()));
    }

    Connection connection(TokenBucket bucket) throws IOException {
        Connection c = new Connection(bucket);
        connections.add(c);
        return c;
    }

    static String read(Socket peer, int bytes) throws IOException {
        return new String(peer.getInputStream().readNBytes(bytes), StandardCharsets.US_ASCII);
    }

    static void write(Socket peer, String text) throws IOException {
        peer.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** True when the peer's stream ended, by FIN or by reset. */
    static boolean ended(Socket peer) throws IOException {
        try {
            return peer.getInputStream().read() < 0;
        } catch (SocketException e) {
            return e.getMessage().contains("reset");
        }
    }

    @Test
    void bytesPassBothWaysAndEachHalfCloseReachesTheOtherSide() throws Exception {
        Connection c = connection();

        write(c.client.peer(), "hello");
        c.client.peer().shutdownOutput();
        assertThat(read(c.vm.peer(), 5)).isEqualTo("hello");
        assertThat(c.vm.peer().getInputStream().read()).as("the client's FIN reaches the VM").isEqualTo(-1);
        write(c.vm.peer(), "still here");
        assertThat(read(c.client.peer(), 10)).as("the other way stays open").isEqualTo("still here");
        c.vm.peer().shutdownOutput();
        assertThat(c.client.peer().getInputStream().read()).as("the VM's FIN reaches the client").isEqualTo(-1);

        c.awaitEnd();
        assertThat(c.in).hasValue(5);
        assertThat(c.out).hasValue(10);
    }

    @Test
    void aResetOnOneSideClosesTheOther() throws Exception {
        Connection c = connection();
        write(c.client.peer(), "x");
        assertThat(read(c.vm.peer(), 1)).isEqualTo("x");

        c.client.peer().setSoLinger(true, 0);
        c.client.peer().close();

        assertThat(ended(c.vm.peer())).as("the VM sees its connection end").isTrue();
        c.awaitEnd();
    }

    @Test
    void aVmThatClosesWhileTheClientStillSendsEndsTheSplice() throws Exception {
        Connection c = connection();
        c.vm.peer().setSoLinger(true, 0);
        c.vm.peer().close();
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 1000; i++) {
                    c.client.peer().getOutputStream().write(new byte[64 * 1024]);
                }
            } catch (IOException e) {
                // the front door closed the client's connection: what the test waits for
            }
        });
        assertThat(ended(c.client.peer())).as("the client sees its connection end").isTrue();
        c.awaitEnd();
        c.client.peer().close();
        sender.join();
    }

    @Test
    void largeTransfersBothWaysArriveIntactAndEveryByteIsCounted() throws Exception {
        Connection c = connection();
        byte[] up = new byte[6 << 20];
        byte[] down = new byte[5 << 20];
        new Random(11).nextBytes(up);
        new Random(12).nextBytes(down);

        Thread clientSends = sendAndHalfClose(c.client.peer(), up);
        Thread vmSends = sendAndHalfClose(c.vm.peer(), down);
        byte[] atVm = c.vm.peer().getInputStream().readAllBytes();
        byte[] atClient = c.client.peer().getInputStream().readAllBytes();
        clientSends.join();
        vmSends.join();

        assertThat(Arrays.equals(atVm, up)).as("the client's bytes reach the VM intact").isTrue();
        assertThat(Arrays.equals(atClient, down)).as("the VM's bytes reach the client intact").isTrue();
        c.awaitEnd();
        assertThat(c.in).hasValue(up.length);
        assertThat(c.out).hasValue(down.length);
    }

    @Test
    void repliedIsCalledOnceWhenTheVmsFirstBytesReachedTheClient() throws Exception {
        Connection c = connection();
        write(c.client.peer(), "request");
        assertThat(read(c.vm.peer(), 7)).isEqualTo("request");
        assertThat(c.replied).as("nothing came back from the VM yet").hasValue(0);

        write(c.vm.peer(), "a");
        assertThat(read(c.client.peer(), 1)).isEqualTo("a");
        awaitValue(c.replied, 1);
        write(c.vm.peer(), "bc");
        assertThat(read(c.client.peer(), 2)).isEqualTo("bc");
        c.closePeers();
        c.awaitEnd();
        assertThat(c.replied).hasValue(1);
    }

    @Test
    void theBandwidthLimitCapsEachTransferAndSlowsTheStream() throws Exception {
        TokenBucket bucket = new TokenBucket(InstantSource.system());
        int rate = 1 << 20;
        bucket.rate(rate);
        Connection c = connection(bucket);
        byte[] data = new byte[512 * 1024];

        long start = System.nanoTime();
        Thread sender = sendAndHalfClose(c.client.peer(), data);
        byte[] arrived = c.vm.peer().getInputStream().readAllBytes();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        sender.join();
        c.closePeers();
        c.awaitEnd();

        assertThat(arrived).hasSize(data.length);
        assertThat(c.chunks).as("no transfer larger than the bucket's chunk").allMatch(n -> n <= bucket.chunk());
        // half a MiB at 1 MiB/s, less the first burst (a tenth of the rate): loopback alone takes milliseconds
        assertThat(took).isGreaterThan(Duration.ofMillis(350));
    }

    @Test
    void aConnectionHandedToAnEndedLoopIsClosedAtOnce() throws Exception {
        loop.close();
        Connection c = connection();
        c.awaitEnd();
        assertThat(ended(c.client.peer())).isTrue();
        assertThat(ended(c.vm.peer())).isTrue();
    }

    @Test
    void anInterruptClosesBothSides() throws Exception {
        Connection c = connection();
        write(c.client.peer(), "x");
        assertThat(read(c.vm.peer(), 1)).isEqualTo("x");

        c.thread.interrupt();

        assertThat(ended(c.client.peer())).as("the client sees its connection end").isTrue();
        assertThat(ended(c.vm.peer())).as("the VM sees its connection end").isTrue();
        assertThat(c.thread.join(Duration.ofSeconds(10))).isTrue();
        assertThat(c.failed).isInstanceOf(InterruptedException.class);
    }

    static Thread sendAndHalfClose(Socket peer, byte[] data) {
        return Thread.ofVirtual().start(() -> {
            try {
                peer.getOutputStream().write(data);
                peer.shutdownOutput();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static void awaitValue(AtomicInteger value, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (value.get() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(value).hasValue(expected);
    }

    @Test
    void largeBuffersAreHandedOutWithinTheirBudgetAndSmallOnesPastIt() {
        int before = SpliceLoop.largeInUse();
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = before; i < SpliceLoop.MAX_LARGE_IN_USE; i++) {
            taken.add(loop.buffer(true));
        }
        assertThat(taken).allSatisfy(b -> assertThat(b.capacity()).isEqualTo(SpliceLoop.LARGE));
        assertThat(SpliceLoop.largeInUse()).isEqualTo(SpliceLoop.MAX_LARGE_IN_USE);

        ByteBuffer past = loop.buffer(true);
        assertThat(past.capacity()).as("past the budget").isLessThan(SpliceLoop.LARGE);
        loop.release(past);
        assertThat(SpliceLoop.largeInUse()).isEqualTo(SpliceLoop.MAX_LARGE_IN_USE);
        loop.release(taken.removeLast());
        ByteBuffer again = loop.buffer(true);
        assertThat(again.capacity()).as("room again once one came back").isEqualTo(SpliceLoop.LARGE);
        taken.add(again);

        taken.forEach(loop::release);
        assertThat(SpliceLoop.largeInUse()).isEqualTo(before);
    }

    @Test
    void everyDescriptorIsClosedAfterManyConnectionsEndedEachWay() throws Exception {
        endEachWay();
        loop.close();
        long start = descriptors();
        loop = new SpliceLoop("test-splice");
        for (int round = 0; round < 50; round++) {
            endEachWay();
        }
        awaitDescriptors(start, "while the loop runs");
        loop.close();
        awaitDescriptors(start, "once the loop closed");
    }

    /** Three connections: one ends by half-closes, one by a reset, one by an interrupt. */
    private void endEachWay() throws Exception {
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

    @Test
    void idleConnectionsHoldNoBuffers() throws Exception {
        long start = directBuffers();
        List<Connection> idle = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Connection c = connection();
            write(c.client.peer(), "hello");
            assertThat(read(c.vm.peer(), 5)).isEqualTo("hello");
            write(c.vm.peer(), "hi");
            assertThat(read(c.client.peer(), 2)).isEqualTo("hi");
            idle.add(c);
        }
        // the loop's pools, and a few the JDK allocates for the peers' socket streams
        assertThat(directBuffers()).as("direct buffers with " + idle.size() + " idle connections")
                .isLessThanOrEqualTo(start + 2 * SpliceLoop.POOLED + 8);
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

    /**
     * The process's open sockets and pipes: not the JARs that class loading opens, nor the epoll
     * descriptors of the JDK's pollers, which come on first use.
     */
    private static long descriptors() {
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            return open.map(SpliceLoopTest::target)
                    .filter(t -> t.startsWith("socket:") || t.startsWith("pipe:"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String target(Path descriptor) {
        try {
            return Files.readSymbolicLink(descriptor).toString();
        } catch (IOException e) {
            return "closed meanwhile";
        }
    }

    private static long directBuffers() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getCount).sum();
    }
}
