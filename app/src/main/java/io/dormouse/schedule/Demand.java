package io.dormouse.schedule;

/**
 * A view of {@code length} demand values of an array from {@code from}, without copying: the simulator
 * hands the decider slices of one trace array. {@code NaN} is a step with no value.
 */
public record Demand(double[] values, int from, int length) {

    public static final Demand NONE = new Demand(new double[0], 0, 0);

    public Demand {
        if (from < 0 || length < 0 || from + length > values.length) {
            throw new IllegalArgumentException("demand view [" + from + ", " + from + "+" + length
                    + ") must lie inside an array of " + values.length);
        }
    }

    /** A view of the whole array, which is not copied. */
    public static Demand of(double... values) {
        return new Demand(values, 0, values.length);
    }

    public double at(int i) {
        return values[from + i];
    }

    /** The last value, NaN when there is none. */
    public double latest() {
        return length == 0 ? Double.NaN : values[from + length - 1];
    }
}
