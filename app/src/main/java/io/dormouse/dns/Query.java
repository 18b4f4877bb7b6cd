package io.dormouse.dns;

import java.net.InetAddress;
import java.util.Objects;
import org.xbill.DNS.Message;

/**
 * A parsed query with where it came from. {@code wire} is the packet as received: TSIG (RFC 8945)
 * verifies the MAC over those exact bytes.
 */
record Query(Message message, byte[] wire, InetAddress client, int port, Transport transport) {

    enum Transport { UDP, TCP }

    Query {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(wire, "wire");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(transport, "transport");
    }
}
