package io.dormouse.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A penalty box on a loopback port: the boxed sender's datagrams no longer reach the receive socket,
 * another sender's still do, and the box lets go after its duration.
 */
class PenaltyBoxTest {

    @Test
    void theBoxedSenderNoLongerReachesTheReceiveSocket() throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
             DatagramChannel server = DatagramChannel.open();
             DatagramChannel flooder = DatagramChannel.open();
             DatagramChannel neighbour = DatagramChannel.open()) {
            server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.configureBlocking(false);
            InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
            flooder.bind(new InetSocketAddress("127.0.0.1", 0)).connect(local);
            neighbour.bind(new InetSocketAddress("127.0.0.1", 0)).connect(local);
            PenaltyBox box = new PenaltyBox(local, 1, Duration.ofMillis(500), executor);

            box.box((InetSocketAddress) flooder.getLocalAddress());
            box.box((InetSocketAddress) neighbour.getLocalAddress());
            assertThat(box.size()).as("one box at most").isEqualTo(1);
            for (int i = 0; i < 10; i++) {
                flooder.write(ByteBuffer.wrap(new byte[] {1}));
                neighbour.write(ByteBuffer.wrap(new byte[] {2}));
            }
            Thread.sleep(50);
            assertThat(drain(server)).as("only the neighbour's datagrams arrive").isEqualTo("2".repeat(10));

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (box.size() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(box.size()).as("the box let go after its duration").isZero();
            flooder.write(ByteBuffer.wrap(new byte[] {1}));
            Thread.sleep(50);
            assertThat(drain(server)).isEqualTo("1");
            box.close();
        }
    }

    private static String drain(DatagramChannel channel) throws IOException {
        StringBuilder seen = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(16);
        while (channel.receive(buffer.clear()) != null) {
            seen.append(buffer.get(0));
        }
        return seen.toString();
    }
}
