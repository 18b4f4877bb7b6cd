package io.dormouse.sim;

import java.time.Duration;
import java.util.List;

/**
 * What a simulation run replays: {@code vms} VMs over {@code span} of their traces, of which the
 * first {@code history} is learned from and not scored, with the given policy families, seed,
 * worker threads and latency model.
 */
public record SimulationSettings(int vms, Duration history, Duration span, long seed, int threads,
        List<Family> families, WakeLatency latency) {

    public static final Duration DEFAULT_HISTORY = Duration.ofDays(7);
    public static final Duration DEFAULT_SPAN = Duration.ofDays(14);

    public SimulationSettings {
        if (vms < 1) {
            throw new SimulationException("vms must be at least 1, got " + vms);
        }
        wholeSteps("history", history);
        wholeSteps("span", span);
        if (history.compareTo(Duration.ofDays(1)) < 0) {
            throw new SimulationException("history must be at least 1d (the models learn daily patterns), got " + history);
        }
        if (span.compareTo(history) <= 0) {
            throw new SimulationException("span (" + span + ") must be longer than history (" + history + "): nothing would be scored");
        }
        if (threads < 1) {
            throw new SimulationException("threads must be at least 1, got " + threads);
        }
        if (families.isEmpty()) {
            throw new SimulationException("policies: at least one policy is needed");
        }
        families = List.copyOf(families.stream().distinct().toList());
        if (latency == null) {
            throw new SimulationException("latency model must be given");
        }
    }

    /** Every family, 7 days of history in 14, seed 1, every available core, the measured QEMU latencies. */
    public static SimulationSettings defaults(int vms) {
        return new SimulationSettings(vms, DEFAULT_HISTORY, DEFAULT_SPAN, 1, Runtime.getRuntime().availableProcessors(),
                List.of(Family.values()), WakeLatency.measuredQemu());
    }

    public SimulationSettings withFamilies(List<Family> f) {
        return new SimulationSettings(vms, history, span, seed, threads, f, latency);
    }

    public SimulationSettings withThreads(int n) {
        return new SimulationSettings(vms, history, span, seed, n, families, latency);
    }

    public SimulationSettings withSeed(long s) {
        return new SimulationSettings(vms, history, span, s, threads, families, latency);
    }

    int steps() {
        return (int) (span.toNanos() / Trace.STEP.toNanos());
    }

    int historySteps() {
        return (int) (history.toNanos() / Trace.STEP.toNanos());
    }

    private static void wholeSteps(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero() || d.toNanos() % Trace.STEP.toNanos() != 0) {
            throw new SimulationException(name + " must be a positive whole number of 5-minute steps, got " + d);
        }
    }
}
