package io.dormouse.dns;

import io.dormouse.config.DnsConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything the DNS front door can be tuned by. {@link #from(DnsConfig)} gives the defaults for a
 * listen address and zone; the {@code with*} methods change one thing each.
 *
 * @param zone          absolute zone name, lower case, such as {@code dormouse.test.}
 * @param listen        UDP and TCP address; port 0 picks a free port (the same for both)
 * @param answerTtl     TTL of a running VM's A record
 * @param frontTtl      TTL of a front address answered while a VM is still waking
 * @param negativeTtl   SOA minimum and TTL of the SOA in negative answers (RFC 2308)
 * @param holdBudget    how long an answer for a hibernated VM waits for the wake
 * @param notReady      what to answer when the hold budget runs out
 * @param nsAddress     address of {@code ns1.<zone>}
 * @param vmstateType   RR type of {@code _vmstate} records, private use (RFC 6895): 65280-65534
 * @param vmstateAcl    clients that may read {@code _vmstate} without TSIG
 * @param tsigKeys      keys that may read {@code _vmstate} from anywhere
 * @param wakeAcl       clients whose queries may wake a VM; others get the front address
 * @param wakesPerVm    token bucket for wake-triggering queries per VM
 * @param wakesPerClient token bucket for wake-triggering queries per client /24 (IPv6: /56)
 * @param responseRate  response-rate limit per client /24 over UDP; rate 0 turns it off
 * @param slip          every slip-th over-limit response goes out truncated (0: drop all)
 * @param maxUdpPayload largest UDP answer we send to EDNS clients (RFC 6891 negotiation)
 * @param tcpIdleTimeout a TCP connection with no query in flight closes after this (RFC 7766)
 * @param tcpConnectionsPerClient open TCP connections allowed per client address
 * @param udp           flood defences and receive loops of the UDP transport
 */
public record DnsSettings(String zone, InetSocketAddress listen, Duration answerTtl, Duration frontTtl,
                          Duration negativeTtl, Duration holdBudget, NotReady notReady, Inet4Address nsAddress,
                          int vmstateType, List<Cidr> vmstateAcl, List<TsigKey> tsigKeys, List<Cidr> wakeAcl,
                          Rate wakesPerVm, Rate wakesPerClient, Rate responseRate, int slip, int maxUdpPayload,
                          Duration tcpIdleTimeout, int tcpConnectionsPerClient, Udp udp) {

    /** The answer when a wake outlasts the hold budget. */
    public enum NotReady {
        /** The VM's front address with {@code frontTtl}: the TCP front door holds connections. */
        FRONT_ADDRESS,
        /** SERVFAIL with extended DNS error 14 "Not Ready" (RFC 8914): resolvers retry. */
        SERVFAIL
    }

    /** A token bucket: {@code perSecond} tokens refilled each second, at most {@code burst} saved. */
    public record Rate(double perSecond, int burst) {
        public Rate {
            if (perSecond < 0 || burst < 0 || (perSecond > 0 && burst < 1)) {
                throw new IllegalArgumentException("rate " + perSecond + "/s burst " + burst
                        + " is invalid; both >= 0, burst >= 1 when the rate is on");
            }
        }

        public static final Rate OFF = new Rate(0, 0);

        boolean off() {
            return perSecond == 0;
        }
    }

    /**
     * The UDP transport's flood defences, applied before a query is parsed.
     *
     * @param perSource       queries admitted per source address (IPv6: /64); rate 0 turns it off
     * @param penaltyBoxes    senders (address and port) over their limit that may be boxed at a time; 0: none
     * @param penaltyDuration how long a sender stays boxed
     * @param receiveLoops    receive loops, each with its own socket on the port; 0 means one per core
     */
    public record Udp(Rate perSource, int penaltyBoxes, Duration penaltyDuration, int receiveLoops) {
        public static final Udp DEFAULTS = new Udp(new Rate(5_000, 500), 256, Duration.ofSeconds(10), 0);

        public Udp {
            Objects.requireNonNull(perSource, "perSource");
            if (penaltyBoxes < 0 || penaltyBoxes > 65_536) {
                throw new IllegalArgumentException("penaltyBoxes " + penaltyBoxes + " is out of range; allowed 0-65536");
            }
            positive("penaltyDuration", penaltyDuration);
            if (receiveLoops < 0 || receiveLoops > 256) {
                throw new IllegalArgumentException("receiveLoops " + receiveLoops
                        + " is out of range; allowed 0-256 (0: one per core)");
            }
        }
    }

    public DnsSettings {
        Objects.requireNonNull(zone, "zone");
        zone = zone.toLowerCase(Locale.ROOT);
        zone = zone.endsWith(".") ? zone : zone + ".";
        Objects.requireNonNull(listen, "listen");
        positive("answerTtl", answerTtl);
        positive("frontTtl", frontTtl);
        positive("negativeTtl", negativeTtl);
        positive("holdBudget", holdBudget);
        positive("tcpIdleTimeout", tcpIdleTimeout);
        Objects.requireNonNull(notReady, "notReady");
        Objects.requireNonNull(nsAddress, "nsAddress");
        if (vmstateType < 65280 || vmstateType > 65534) {
            throw new IllegalArgumentException("vmstateType " + vmstateType
                    + " is outside the private-use range 65280-65534 (RFC 6895)");
        }
        vmstateAcl = List.copyOf(vmstateAcl);
        tsigKeys = List.copyOf(tsigKeys);
        wakeAcl = List.copyOf(wakeAcl);
        Objects.requireNonNull(wakesPerVm, "wakesPerVm");
        Objects.requireNonNull(wakesPerClient, "wakesPerClient");
        Objects.requireNonNull(responseRate, "responseRate");
        if (slip < 0 || slip > 10) {
            throw new IllegalArgumentException("slip " + slip + " is out of range; allowed 0-10");
        }
        if (maxUdpPayload < 512 || maxUdpPayload > 65535) {
            throw new IllegalArgumentException("maxUdpPayload " + maxUdpPayload + " is out of range; allowed 512-65535");
        }
        if (tcpConnectionsPerClient < 1) {
            throw new IllegalArgumentException("tcpConnectionsPerClient " + tcpConnectionsPerClient + " must be >= 1");
        }
        Objects.requireNonNull(udp, "udp");
    }

    private static void positive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " " + value + " must be a positive duration");
        }
    }

    /** The settings of the configuration's {@code dns} section. */
    public static DnsSettings from(DnsConfig config) {
        InetSocketAddress listen = new InetSocketAddress(config.listen().host(), config.listen().port());
        Inet4Address ns = config.nsAddress().isEmpty() ? nsAddressFor(listen)
                : (Inet4Address) InetAddress.ofLiteral(config.nsAddress());
        return new DnsSettings(config.zone(), listen, config.answerTtl(), config.frontTtl(), config.negativeTtl(),
                config.holdBudget(), switch (config.notReady()) {
                    case FRONT_ADDRESS -> NotReady.FRONT_ADDRESS;
                    case SERVFAIL -> NotReady.SERVFAIL;
                }, ns, config.vmstate().type(),
                config.vmstate().acl().stream().map(Cidr::parse).toList(),
                config.vmstate().tsigKeys().stream().map(secret -> TsigKey.parse(secret.value())).toList(),
                config.wake().acl().stream().map(Cidr::parse).toList(),
                rate(config.wake().perVm()), rate(config.wake().perClient()),
                config.rrl().rate() == 0 ? Rate.OFF : new Rate(config.rrl().rate(), config.rrl().burst()),
                config.rrl().slip(), config.maxUdpPayload(), config.tcp().idleTimeout(), config.tcp().connectionsPerClient(),
                new Udp(rate(config.udp().perSource()), config.udp().penaltyBoxes(), config.udp().penaltyDuration(),
                        config.udp().receiveLoops()));
    }

    private static Rate rate(DnsConfig.Rate rate) {
        return rate.rate() == 0 ? Rate.OFF : new Rate(rate.rate(), rate.burst());
    }

    public static DnsSettings defaults(String zone, InetSocketAddress listen) {
        return new DnsSettings(zone, listen, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofMillis(1500), NotReady.FRONT_ADDRESS, nsAddressFor(listen), 65280,
                List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")), List.of(),
                List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")),
                new Rate(2, 10), new Rate(5, 20), Rate.OFF, 2, 1232, Duration.ofSeconds(10), 16,
                Udp.DEFAULTS);
    }

    private static Inet4Address nsAddressFor(InetSocketAddress listen) {
        InetAddress a = listen.getAddress();
        if (a instanceof Inet4Address v4 && !v4.isAnyLocalAddress()) {
            return v4;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public DnsSettings withListen(InetSocketAddress v) {
        return new DnsSettings(zone, v, answerTtl, frontTtl, negativeTtl, holdBudget, notReady, nsAddress,
                vmstateType, vmstateAcl, tsigKeys, wakeAcl, wakesPerVm, wakesPerClient, responseRate, slip,
                maxUdpPayload, tcpIdleTimeout, tcpConnectionsPerClient, udp);
    }

    public DnsSettings withHold(Duration budget, NotReady whenLate) {
        return new DnsSettings(zone, listen, answerTtl, frontTtl, negativeTtl, budget, whenLate, nsAddress,
                vmstateType, vmstateAcl, tsigKeys, wakeAcl, wakesPerVm, wakesPerClient, responseRate, slip,
                maxUdpPayload, tcpIdleTimeout, tcpConnectionsPerClient, udp);
    }

    public DnsSettings withVmstate(int type, List<Cidr> acl, List<TsigKey> keys) {
        return new DnsSettings(zone, listen, answerTtl, frontTtl, negativeTtl, holdBudget, notReady, nsAddress,
                type, acl, keys, wakeAcl, wakesPerVm, wakesPerClient, responseRate, slip,
                maxUdpPayload, tcpIdleTimeout, tcpConnectionsPerClient, udp);
    }

    public DnsSettings withWakePolicy(List<Cidr> acl, Rate perVm, Rate perClient) {
        return new DnsSettings(zone, listen, answerTtl, frontTtl, negativeTtl, holdBudget, notReady, nsAddress,
                vmstateType, vmstateAcl, tsigKeys, acl, perVm, perClient, responseRate, slip,
                maxUdpPayload, tcpIdleTimeout, tcpConnectionsPerClient, udp);
    }

    public DnsSettings withResponseRate(Rate rate, int slipEvery) {
        return new DnsSettings(zone, listen, answerTtl, frontTtl, negativeTtl, holdBudget, notReady, nsAddress,
                vmstateType, vmstateAcl, tsigKeys, wakeAcl, wakesPerVm, wakesPerClient, rate, slipEvery,
                maxUdpPayload, tcpIdleTimeout, tcpConnectionsPerClient, udp);
    }

    public DnsSettings withUdp(Udp defences) {
        return new DnsSettings(zone, listen, answerTtl, frontTtl, negativeTtl, holdBudget, notReady, nsAddress,
                vmstateType, vmstateAcl, tsigKeys, wakeAcl, wakesPerVm, wakesPerClient, responseRate, slip,
                maxUdpPayload, tcpIdleTimeout, tcpConnectionsPerClient, defences);
    }

    public DnsSettings withTcp(Duration idleTimeout, int connectionsPerClient) {
        return new DnsSettings(zone, listen, answerTtl, frontTtl, negativeTtl, holdBudget, notReady, nsAddress,
                vmstateType, vmstateAcl, tsigKeys, wakeAcl, wakesPerVm, wakesPerClient, responseRate, slip,
                maxUdpPayload, idleTimeout, connectionsPerClient, udp);
    }
}
