package io.dormouse.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TCP front door: whether it listens on the VMs' front addresses, how many connections it holds
 * per waking VM and for how long, which ports' traffic is not demand (excluded sources are
 * {@code telemetry.excluded-sources}), how long a woken VM stays awake, the loopback network its
 * front addresses come from ({@code network}: VM id {@code n} gets the network's address plus {@code n}),
 * and whether the kernel routes running VMs' connections past the front door ({@code kernel-routing}).
 */
public record FrontConfig(boolean enabled, int holdLimit, Duration holdTimeout, List<Integer> excludePorts,
                          Duration minAwake, String network, KernelRouting kernelRouting) {

    /** Whether new connections to running VMs are routed by the kernel (nftables DNAT) or spliced. */
    public enum KernelRouting {
        /** Routed when {@code nft} and {@code conntrack} run with the right to change the ruleset; else spliced. */
        AUTO,
        /** Routed; the server does not start without it. */
        ON,
        /** Always spliced by the front door. */
        OFF;

        @JsonCreator
        public static KernelRouting parse(String text) {
            return Choices.parse(KernelRouting.class, text);
        }

        @JsonValue
        @Override
        public String toString() {
            return Choices.word(this);
        }
    }

    private static final Pattern LOOPBACK_16 = Pattern.compile("127\\.(\\d{1,3})\\.0\\.0/16");
    /** Second octets the server uses for other things: 127.0.0.1, and the QEMU and fake machines' own addresses. */
    private static final Set<Integer> TAKEN = Set.of(0, 77, 78);
    private static final String DEFAULT_NETWORK = "127.2.0.0/16";
    static final FrontConfig DEFAULTS = new FrontConfig(true, 256, Duration.ofSeconds(30), List.of(),
            Duration.ofMinutes(2), DEFAULT_NETWORK, KernelRouting.AUTO);

    public FrontConfig {
        if (holdLimit < 1 || holdLimit > 100_000) {
            throw new IllegalArgumentException("hold-limit " + holdLimit + " is out of range; allowed 1-100000"
                    + " (connections held per waking VM)");
        }
        if (holdTimeout == null || !holdTimeout.isPositive()) {
            throw new IllegalArgumentException("hold-timeout " + holdTimeout
                    + " must be a positive duration such as 30s");
        }
        excludePorts = List.copyOf(excludePorts == null ? List.of() : excludePorts);
        var seen = new HashSet<Integer>();
        for (Integer port : excludePorts) {
            if (port == null || port < 1 || port > 65535) {
                throw new IllegalArgumentException("exclude-ports entry " + port + " is out of range; allowed 1-65535");
            }
            if (!seen.add(port)) {
                throw new IllegalArgumentException("exclude-ports lists " + port + " twice");
            }
        }
        if (minAwake == null || minAwake.isNegative()) {
            throw new IllegalArgumentException("min-awake " + minAwake + " must be a duration of 0 or more such as 2m");
        }
        if (network == null) {
            network = DEFAULT_NETWORK;
        }
        if (kernelRouting == null) {
            kernelRouting = KernelRouting.AUTO;
        }
        if (kernelRouting == KernelRouting.ON && !enabled) {
            throw new IllegalArgumentException("kernel-routing on needs the front door: set front.enabled to true,"
                    + " or front.kernel-routing to auto or off");
        }
        Matcher m = LOOPBACK_16.matcher(network);
        int octet = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        if (octet < 0 || octet > 255) {
            throw new IllegalArgumentException("network " + network + " must be a /16 inside 127.0.0.0/8 written"
                    + " as 127.N.0.0/16, such as 127.2.0.0/16 (a VM's front address is the network plus its id)");
        }
        if (TAKEN.contains(octet)) {
            throw new IllegalArgumentException("network " + network + " is in use by the server itself (127.0.0.0/16"
                    + " holds 127.0.0.1; 127.77.0.0/16 and 127.78.0.0/16 are the machines' own addresses); choose"
                    + " another 127.N.0.0/16");
        }
    }

    /** N of the network 127.N.0.0/16. */
    public int networkOctet() {
        return Integer.parseInt(network.split("\\.")[1]);
    }
}
