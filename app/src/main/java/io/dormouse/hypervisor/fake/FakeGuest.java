package io.dormouse.hypervisor.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo guest's HTTP service in process: {@code /cgi-bin/count}, {@code /healthz} and
 * {@code /cgi-bin/stop-http} on every declared port, with the counter as its only memory.
 */
final class FakeGuest {

    private final AtomicLong count;
    private final List<HttpServer> servers = new ArrayList<>();

    FakeGuest(long count) {
        this.count = new AtomicLong(count);
    }

    void serve(InetAddress address, List<Integer> ports) throws IOException {
        for (int port : ports) {
            HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/cgi-bin/count", e -> answer(e, "count=" + count.incrementAndGet() + "\n"));
            server.createContext("/healthz", e -> answer(e, "ok\n"));
            server.createContext("/cgi-bin/stop-http", e -> {
                answer(e, "stopping http\n");
                Thread.ofVirtual().start(this::silence);
            });
            server.start();
            servers.add(server);
        }
    }

    long count() {
        return count.get();
    }

    synchronized void silence() {
        servers.forEach(s -> s.stop(0));
        servers.clear();
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
