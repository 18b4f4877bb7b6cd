package io.dormouse.state;

import java.util.Locale;

/** How the samples within one step become its value. */
public enum Aggregate {
    /** Their mean: for gauges such as CPU and memory, and for rates. */
    MEAN,
    /** Their maximum: peaks a mean would hide. */
    MAX,
    /** Their sum: for per-interval counts (demand, connections), the count per step. */
    SUM;

    /** {@code mean}, {@code max} or {@code sum}, in any case. */
    public static Aggregate parse(String text) {
        for (Aggregate a : values()) {
            if (a.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return a;
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not an aggregation; allowed: mean, max, sum");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
