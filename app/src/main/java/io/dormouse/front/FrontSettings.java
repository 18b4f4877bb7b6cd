package io.dormouse.front;

import io.dormouse.config.FrontConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the TCP front door is tuned by; {@link #from} turns the configuration into it.
 *
 * @param enabled        false: no listener opens; metering and limits still answer (all zero)
 * @param holdLimit      connections held at once per VM while it wakes; more are closed
 * @param holdTimeout    how long a held connection waits for its VM before it is closed
 * @param excludedSource whether a client's connections are not demand (health checkers)
 * @param excludePorts   VM ports whose connections are not demand
 * @param minAwake       how long after each wake {@link Traffic#keepAwake} holds a VM awake
 * @param syncEvery      how often the listeners are brought in line with the fleet
 * @param routing        whether, and in which nftables table, the kernel routes running VMs' connections
 */
public record FrontSettings(boolean enabled, int holdLimit, Duration holdTimeout, Predicate<InetAddress> excludedSource,
                            Set<Integer> excludePorts, Duration minAwake, Duration syncEvery, Routing routing) {

    /**
     * Kernel routing of running VMs' new connections (see {@link KernelRoutes}).
     *
     * @param mode             auto, on or off
     * @param table            the nftables table (family ip) this server owns
     * @param excludedNetworks the networks of {@code excludedSource}, never routed
     */
    public record Routing(FrontConfig.KernelRouting mode, String table, List<String> excludedNetworks) {

        /** Every connection spliced by the front door. */
        public static final Routing OFF = new Routing(FrontConfig.KernelRouting.OFF, "dormouse", List.of());

        public Routing {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(table, "table");
            excludedNetworks = List.copyOf(excludedNetworks);
        }
    }

    public FrontSettings {
        if (holdLimit < 1) {
            throw new IllegalArgumentException("holdLimit must be 1 or more, got " + holdLimit);
        }
        positive("holdTimeout", holdTimeout);
        positive("syncEvery", syncEvery);
        Objects.requireNonNull(excludedSource, "excludedSource");
        excludePorts = Set.copyOf(excludePorts);
        Objects.requireNonNull(minAwake, "minAwake");
        if (minAwake.isNegative()) {
            throw new IllegalArgumentException("minAwake must be 0 or more, got " + minAwake);
        }
        Objects.requireNonNull(routing, "routing");
    }

    /**
     * The configured front door, brought in line with the fleet every {@code syncEvery}; its nftables table is
     * named after its front network, which no other server on the host shares.
     *
     * @param excludedNetworks the networks whose traffic is not demand ({@code telemetry.excluded-sources})
     * @param excludedSource   whether an address is in one of them
     */
    public static FrontSettings from(FrontConfig config, List<String> excludedNetworks,
                                     Predicate<InetAddress> excludedSource, Duration syncEvery) {
        return new FrontSettings(config.enabled(), config.holdLimit(), config.holdTimeout(), excludedSource,
                Set.copyOf(config.excludePorts()), config.minAwake(), syncEvery,
                new Routing(config.kernelRouting(), "dormouse_127_" + config.networkOctet(), excludedNetworks));
    }

    /** Whether a connection from {@code client} (null when unknown) to {@code port} counts as demand. */
    boolean demand(InetAddress client, int port) {
        return !excludePorts.contains(port) && (client == null || !excludedSource.test(client));
    }

    private static void positive(String field, Duration value) {
        if (value == null || !value.isPositive()) {
            throw new IllegalArgumentException(field + " must be a positive duration, got " + value);
        }
    }
}
