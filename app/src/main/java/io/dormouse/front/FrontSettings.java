package io.dormouse.front;

import io.dormouse.config.FrontConfig;
import java.net.InetAddress;
import java.time.Duration;
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
 */
public record FrontSettings(boolean enabled, int holdLimit, Duration holdTimeout, Predicate<InetAddress> excludedSource,
                            Set<Integer> excludePorts, Duration minAwake, Duration syncEvery) {

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
    }

    /**
     * The configured front door, brought in line with the fleet every {@code syncEvery}.
     *
     * @param excludedSource the sources whose traffic is not demand ({@code telemetry.excluded-sources})
     */
    public static FrontSettings from(FrontConfig config, Predicate<InetAddress> excludedSource, Duration syncEvery) {
        return new FrontSettings(config.enabled(), config.holdLimit(), config.holdTimeout(), excludedSource,
                Set.copyOf(config.excludePorts()), config.minAwake(), syncEvery);
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
