package io.dormouse.dns;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.Message;

/** The DNS pieces wired in memory around a {@link FakeFleet}, with a clock the test moves. */
final class Fixture {

    static final long START_SECONDS = 1_795_000_000L;
    static final byte[] COOKIE_SECRET = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    final DnsSettings settings;
    final FakeFleet fleet;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicLong millis = new AtomicLong(START_SECONDS * 1000);
    final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
    final Zone zone;
    final Responder responder;
    final PacketHandler handler;

    Fixture(DnsSettings settings, FakeFleet fleet) {
        this.settings = settings;
        this.fleet = fleet;
        DnsMetrics metrics = new DnsMetrics(registry, settings.vmstateType());
        this.zone = new Zone(settings, START_SECONDS);
        this.responder = new Responder(settings, zone, fleet, new Holds(settings, fleet, metrics, clock),
                new Cookies(COOKIE_SECRET, clock));
        this.handler = new PacketHandler(responder, new FastPath(settings, fleet), settings, metrics,
                new ResponseRate(settings.responseRate(), settings.slip(), clock));
    }

    static DnsSettings defaults() {
        return DnsSettings.defaults("dormouse.test.", new InetSocketAddress("127.0.0.1", 0));
    }

    /** The query as the server would see it from {@code client} over UDP: serialised (and signed) then parsed. */
    Reply ask(Message query, String client) {
        return ask(query, client, 5353);
    }

    Reply ask(Message query, String client, int port) {
        return askWire(query.toWire(65535), client, port);
    }

    /** {@code wire} as received; {@link Message#toWire(int)} is the form that applies a TSIG signature. */
    Reply askWire(byte[] wire, String client, int port) {
        try {
            return responder.respond(new Query(new Message(wire), wire, address(client), port, Query.Transport.UDP));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
