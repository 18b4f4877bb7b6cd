package io.dormouse.forecast;

/** How samples that fall into the same step of the grid are combined into that step's value. */
public enum Aggregation {
    /** The mean: for rates and utilizations (CPU %, requests per interval measured at jittered times). */
    MEAN,
    /** The sum: for counts where each sample is a share of the step's events. */
    SUM,
    /** The largest: when a step should show its peak demand. */
    MAX,
    /** The latest sample in the step. */
    LAST;

    double combine(double current, double next, int countSoFar) {
        return switch (this) {
            case MEAN -> current + (next - current) / (countSoFar + 1);
            case SUM -> current + next;
            case MAX -> Math.max(current, next);
            case LAST -> next;
        };
    }
}
