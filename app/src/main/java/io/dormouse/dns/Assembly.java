package io.dormouse.dns;

import java.time.InstantSource;

/** Puts the pieces of the DNS front door together; shared by the server and the in-memory tests. */
final class Assembly {

    private Assembly() {
    }

    static PacketHandler handler(DnsSettings settings, Names names, Waker waker, DnsMetrics metrics,
                                 InstantSource clock, byte[] cookieSecret) {
        Zone zone = new Zone(settings, clock.millis() / 1000);
        Holds holds = new Holds(settings, waker, metrics, clock);
        Responder responder = new Responder(settings, zone, names, holds, new Cookies(cookieSecret, clock));
        return new PacketHandler(responder, new FastPath(settings, names), settings, metrics,
                new ResponseRate(settings.responseRate(), settings.slip(), clock));
    }
}
