package io.dormouse.dns;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Packets in, packets out, for both transports: parses, answers FORMERR when only the header can be
 * read, drops what is not a query, sizes the answer for the transport (truncating with TC over UDP),
 * applies response-rate limiting, and counts. No exception leaves {@link #handle}.
 */
final class PacketHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PacketHandler.class);
    private static final int HEADER = 12;
    private static final int PLAIN_UDP = 512;

    /** What to send back. */
    sealed interface Outcome {
        record Drop() implements Outcome {}
        record Send(byte[] packet) implements Outcome {}
        record Later(CompletableFuture<byte[]> packet) implements Outcome {}
    }

    private static final Outcome DROP = new Outcome.Drop();

    private final Responder responder;
    private final DnsSettings settings;
    private final DnsMetrics metrics;
    private final ResponseRate rate;
    private final FastPath fast;

    PacketHandler(Responder responder, FastPath fast, DnsSettings settings, DnsMetrics metrics, ResponseRate rate) {
        this.responder = responder;
        this.fast = fast;
        this.settings = settings;
        this.metrics = metrics;
        this.rate = rate;
    }

    /**
     * The hot path: answers a plain A query for a running VM into {@code out} without building messages.
     * Returns the answer's length, 0 when rate limiting drops it, or -1 when {@link #handle} must answer.
     */
    int answerNow(byte[] in, int len, byte[] out, InetAddress client, Query.Transport transport) {
        int n;
        try {
            n = fast.answer(in, len, out, client);
        } catch (RuntimeException e) {
            return -1;
        }
        if (n < 0) {
            return -1;
        }
        metrics.query(org.xbill.DNS.Type.A, Rcode.NOERROR);
        if (transport == Query.Transport.TCP) {
            return n;
        }
        return switch (rate.admit(client)) {
            case ALLOW -> n;
            case DROP -> {
                metrics.responseLimited();
                yield 0;
            }
            case SLIP -> {
                metrics.responseLimited();
                int questionEnd = n - 16 - (out[11] == 1 ? 11 : 0);
                out[2] = (byte) 0x82; // QR and TC, as truncated() below
                out[7] = 0;
                out[11] = 0;
                yield questionEnd;
            }
        };
    }

    Outcome handle(byte[] packet, InetAddress client, int port, Query.Transport transport) {
        try {
            return answer(packet, client, port, transport);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.atDebug().setCause(e).log("DNS query failed");
            return failure(packet, transport);
        }
    }

    private Outcome answer(byte[] packet, InetAddress client, int port, Query.Transport transport) {
        if (packet.length < HEADER || (packet[2] & 0x80) != 0) {
            return DROP; // no header to answer, or a response: answering responses invites loops
        }
        Message message;
        try {
            message = new Message(packet);
        } catch (java.io.IOException | RuntimeException e) {
            return send(headerOnly(packet, Rcode.FORMERR), null, -1, client, transport);
        }
        Query query = new Query(message, packet, client, port, transport);
        Record question = message.getQuestion();
        int qtype = question == null ? -1 : question.getType();
        return switch (responder.respond(query)) {
            case Reply.Now now -> send(now.response(), message, qtype, client, transport);
            case Reply.Held held when held.joined() -> DROP;
            case Reply.Held held -> new Outcome.Later(held.response().handle((response, e) -> {
                Outcome o = response == null ? failure(packet, transport)
                        : send(response, message, qtype, client, transport);
                return o instanceof Outcome.Send s ? s.packet() : null;
            }));
        };
    }

    private Outcome send(Message response, Message query, int qtype, InetAddress client, Query.Transport transport) {
        metrics.query(qtype, response.getRcode());
        if (transport == Query.Transport.UDP) {
            switch (rate.admit(client)) {
                case ALLOW -> { }
                case DROP -> {
                    metrics.responseLimited();
                    return DROP;
                }
                case SLIP -> {
                    metrics.responseLimited();
                    return new Outcome.Send(truncated(response));
                }
            }
        }
        return new Outcome.Send(response.toWire(limit(query, transport)));
    }

    /** The largest answer the client takes: 512 without EDNS, its advertised size clamped to ours (RFC 6891 §6.2.5). */
    private int limit(Message query, Query.Transport transport) {
        if (transport == Query.Transport.TCP) {
            return 65535;
        }
        OPTRecord opt = query == null ? null : query.getOPT();
        if (opt == null) {
            return PLAIN_UDP;
        }
        return Math.max(PLAIN_UDP, Math.min(opt.getPayloadSize(), settings.maxUdpPayload()));
    }

    /** An empty answer with TC set: a client that really asked retries over TCP, a spoofed victim gets little. */
    private static byte[] truncated(Message response) {
        Message tc = new Message(response.getHeader().getID());
        Header h = tc.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.TC);
        h.setOpcode(response.getHeader().getOpcode());
        Record question = response.getQuestion();
        if (question != null) {
            tc.addRecord(question, Section.QUESTION);
        }
        return tc.toWire();
    }

    private Outcome failure(byte[] packet, Query.Transport transport) {
        if (packet.length < HEADER || (packet[2] & 0x80) != 0) {
            return DROP;
        }
        metrics.query(-1, Rcode.SERVFAIL);
        return new Outcome.Send(headerOnly(packet, Rcode.SERVFAIL).toWire());
    }

    /** A response carrying only the query's header fields: ID, opcode, RD. */
    private static Message headerOnly(byte[] packet, int rcode) {
        Message m = new Message(((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF));
        Header h = m.getHeader();
        h.setFlag(Flags.QR);
        h.setOpcode((packet[2] >>> 3) & 0xF);
        if ((packet[2] & 0x01) != 0) {
            h.setFlag(Flags.RD);
        }
        h.setRcode(rcode);
        return m;
    }
}
