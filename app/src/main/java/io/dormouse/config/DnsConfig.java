package io.dormouse.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The DNS front door: where it listens, the zone it is authoritative for, answer TTLs, how long
 * an answer for a hibernated VM is held, who may read {@code _vmstate} or wake VMs, rate limits.
 */
public record DnsConfig(ListenAddress listen, String zone, Duration answerTtl, Duration frontTtl, Duration negativeTtl,
                        Duration holdBudget, NotReady notReady, String nsAddress, int maxUdpPayload,
                        Vmstate vmstate, Wake wake, Rrl rrl, Tcp tcp, Udp udp) {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?|_[a-z0-9-]+");

    static final DnsConfig DEFAULTS = new DnsConfig(new ListenAddress("127.0.0.1", 1053), "dormouse.test.",
            Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMillis(1500),
            NotReady.FRONT_ADDRESS, "", 1232,
            new Vmstate(65280, List.of("127.0.0.0/8", "::1/128"), List.of()),
            new Wake(List.of("0.0.0.0/0", "::/0"), new Rate(2, 10), new Rate(5, 20)),
            new Rrl(0, 0, 2), new Tcp(Duration.ofSeconds(10), 16), new Udp(new Rate(5_000, 500), 256, Duration.ofSeconds(10), 0));

    public DnsConfig {
        Objects.requireNonNull(listen, "listen");
        zone = absolute(zone);
        positive("answer-ttl", answerTtl);
        positive("front-ttl", frontTtl);
        positive("negative-ttl", negativeTtl);
        positive("hold-budget", holdBudget);
        Objects.requireNonNull(notReady, "not-ready");
        nsAddress = nsAddress == null ? "" : nsAddress.strip();
        if (!nsAddress.isEmpty() && !Cidrs.isIpv4(nsAddress)) {
            throw new IllegalArgumentException("ns-address \"" + nsAddress + "\" is not an IPv4 address; leave it empty to use the listen address");
        }
        if (maxUdpPayload < 512 || maxUdpPayload > 65535) {
            throw new IllegalArgumentException("max-udp-payload " + maxUdpPayload + " is out of range; allowed 512-65535 (1232 avoids fragmentation)");
        }
        Objects.requireNonNull(vmstate, "vmstate");
        Objects.requireNonNull(wake, "wake");
        Objects.requireNonNull(rrl, "rrl");
        Objects.requireNonNull(tcp, "tcp");
        Objects.requireNonNull(udp, "udp");
    }

    /** The answer when a wake outlasts the hold budget. */
    public enum NotReady {
        /** The VM's front address with the front TTL: the TCP front door holds the connection. */
        FRONT_ADDRESS,
        /** SERVFAIL with extended DNS error 14 "Not Ready" (RFC 8914). */
        SERVFAIL;

        @JsonCreator
        public static NotReady parse(String text) {
            return Choices.parse(NotReady.class, text);
        }

        @JsonValue
        @Override
        public String toString() {
            return Choices.word(this);
        }
    }

    /** Who may read {@code _vmstate} records (they reveal where state lives), and their RR type. */
    public record Vmstate(int type, List<String> acl, List<Secret> tsigKeys) {
        public Vmstate {
            if (type < 65280 || type > 65534) {
                throw new IllegalArgumentException("type " + type + " is outside the private-use range 65280-65534 (RFC 6895)");
            }
            acl = Cidrs.check("acl", acl);
            tsigKeys = List.copyOf(tsigKeys == null ? List.of() : tsigKeys);
            for (Secret key : tsigKeys) {
                if (!key.value().matches("[A-Za-z0-9._-]+:[A-Za-z0-9+/=]+")) {
                    throw new IllegalArgumentException("tsig-keys entries are NAME:BASE64-SECRET (hmac-sha256); one is not");
                }
            }
        }
    }

    /** Which clients may wake VMs by querying, and how often. */
    public record Wake(List<String> acl, Rate perVm, Rate perClient) {
        public Wake {
            acl = Cidrs.check("acl", acl);
            Objects.requireNonNull(perVm, "per-vm");
            Objects.requireNonNull(perClient, "per-client");
        }
    }

    /** A token bucket: {@code rate} per second, up to {@code burst} saved; rate 0 is off. */
    public record Rate(double rate, int burst) {
        public Rate {
            if (rate < 0 || burst < 0 || (rate > 0 && burst < 1)) {
                throw new IllegalArgumentException("rate " + rate + " with burst " + burst
                        + " is invalid; both must be >= 0 and burst >= 1 when the rate is above 0");
            }
        }
    }

    /** Response-rate limiting per client network over UDP, with slip. */
    public record Rrl(double rate, int burst, int slip) {
        public Rrl {
            new Rate(rate, burst);
            if (slip < 0 || slip > 10) {
                throw new IllegalArgumentException("slip " + slip + " is out of range; allowed 0-10 (0 drops every limited answer)");
            }
        }
    }

    /** DNS over TCP (RFC 7766). */
    public record Tcp(Duration idleTimeout, int connectionsPerClient) {
        public Tcp {
            positive("idle-timeout", idleTimeout);
            if (connectionsPerClient < 1) {
                throw new IllegalArgumentException("connections-per-client " + connectionsPerClient + " must be at least 1");
            }
        }
    }

    /** DNS over UDP: flood defences applied before parsing, and how many receive loops share the port. */
    public record Udp(Rate perSource, int penaltyBoxes, Duration penaltyDuration, int receiveLoops) {
        public Udp {
            Objects.requireNonNull(perSource, "per-source");
            if (penaltyBoxes < 0 || penaltyBoxes > 65_536) {
                throw new IllegalArgumentException("penalty-boxes " + penaltyBoxes + " is out of range; allowed 0-65536 (0: none)");
            }
            positive("penalty-duration", penaltyDuration);
            if (receiveLoops < 0 || receiveLoops > 256) {
                throw new IllegalArgumentException("receive-loops " + receiveLoops
                        + " is out of range; allowed 0-256 (0: one per core)");
            }
        }
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " " + value + " must be a positive duration such as 5s");
        }
    }

    private static String absolute(String zone) {
        if (zone == null || zone.isBlank() || zone.equals(".")) {
            throw new IllegalArgumentException("zone is empty; expected a domain name such as dormouse.test.");
        }
        String z = zone.toLowerCase(Locale.ROOT);
        z = z.endsWith(".") ? z : z + ".";
        if (z.length() > 254) {
            throw new IllegalArgumentException("zone \"" + zone + "\" is longer than 253 characters");
        }
        for (String label : z.substring(0, z.length() - 1).split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("zone \"" + zone + "\" has an invalid label \"" + label
                        + "\"; labels are 1-63 letters, digits or hyphens, not starting or ending with a hyphen");
            }
        }
        return z;
    }
}
