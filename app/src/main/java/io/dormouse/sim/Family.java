package io.dormouse.sim;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.DoubleStream;

/**
 * The policy families a run compares, by their command-line names: the points each family's
 * sweep visits (its Pareto curve) and the points reported as baselines in the main table.
 */
public enum Family {
    ALWAYS_ON("always-on", "none"),
    IDLE_TIMEOUT("idle-timeout", "timeout (minutes)"),
    TUNED_TIMEOUT("tuned-timeout", "cost of an idle awake hour (a cold start costs 1)"),
    HYBRID_HISTOGRAM("hybrid-histogram", "keep-alive scale"),
    PREDICTIVE("predictive", "threshold on the chance of a request in the next step"),
    EXPECTED_COST("expected-cost", "cost of an idle awake hour (a cold start costs 1)"),
    ORACLE("oracle", "minimum gap (minutes)");

    /** The tuned timeout's sweep: what an idle awake hour costs against one cold start. */
    static final double[] TUNED_COSTS = {0.1, 0.2, 0.5, 1, 2, 5, 10};
    /** The expected-cost rule's sweep, denser than the tuned timeout's: its curve is read between points. */
    static final double[] EXPECTED_COSTS = {0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20};
    /** The durations the idle timeouts sweep, and tuning chooses from, in minutes. */
    static final long[] TIMEOUT_MINUTES = {5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240};

    private final String cliName;
    private final String parameter;

    Family(String cliName, String parameter) {
        this.cliName = cliName;
        this.parameter = parameter;
    }

    public String cliName() {
        return cliName;
    }

    /** What the swept parameter is. */
    public String parameter() {
        return parameter;
    }

    /** The family named {@code name} on the command line. */
    public static Family named(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.cliName.equals(n)).findFirst().orElseThrow(() ->
                new SimulationException("unknown policy '" + name + "': choose from " + names()));
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Family::cliName).toList());
    }

    /** Every point of this family's sweep, in the order of its parameter. */
    public List<Policy> sweep() {
        return switch (this) {
            case ALWAYS_ON -> List.of(new Policy.AlwaysOn());
            case IDLE_TIMEOUT -> minutes(TIMEOUT_MINUTES).map(m ->
                    (Policy) new Policy.IdleTimeout(Duration.ofMinutes(m))).toList();
            case TUNED_TIMEOUT -> DoubleStream.of(TUNED_COSTS).mapToObj(c -> (Policy) new Policy.TunedTimeout(c)).toList();
            case HYBRID_HISTOGRAM -> DoubleStream.of(0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3).mapToObj(s ->
                    (Policy) new Policy.HybridHistogram(s)).toList();
            case PREDICTIVE -> DoubleStream.of(0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2, 0.3, 0.5, 0.7).mapToObj(t ->
                    (Policy) new Policy.Predictive(t)).toList();
            case EXPECTED_COST -> DoubleStream.of(EXPECTED_COSTS).mapToObj(c -> (Policy) new Policy.ExpectedCost(c)).toList();
            case ORACLE -> minutes(5, 15, 30, 60, 120).map(m ->
                    (Policy) new Policy.Oracle(Duration.ofMinutes(m))).toList();
        };
    }

    /** The points the main table reports: the baselines' usual settings and our default. */
    public List<Policy> reported() {
        return switch (this) {
            case ALWAYS_ON -> List.of(new Policy.AlwaysOn());
            case IDLE_TIMEOUT -> minutes(10, 20, 60).map(m -> (Policy) new Policy.IdleTimeout(Duration.ofMinutes(m))).toList();
            case TUNED_TIMEOUT -> List.of(new Policy.TunedTimeout(1));
            case HYBRID_HISTOGRAM -> List.of(new Policy.HybridHistogram(1));
            case PREDICTIVE -> List.of(new Policy.Predictive(0.05));
            case EXPECTED_COST -> List.of(new Policy.ExpectedCost(1));
            case ORACLE -> List.of(new Policy.Oracle(Duration.ofMinutes(5)));
        };
    }

    private static java.util.stream.Stream<Long> minutes(long... m) {
        return java.util.stream.LongStream.of(m).boxed();
    }
}
