package io.dormouse.forecast;

import java.util.Arrays;
import java.util.Objects;

/**
 * One model's backtest on one series. Pinball losses are per level of {@link Forecast#LEVELS};
 * scaled ones are divided by the previous-week seasonal naive's loss on the same origins (NaN when
 * that baseline cannot run). MASE divides the median's absolute error by the in-sample mean absolute
 * error of the previous-day seasonal naive. Coverage is the share of actuals at or below the 0.9 and
 * 0.99 quantiles. Idle precision and recall score the {@link IdleQuery}; NaN when undefined. Times
 * are measured, never asserted. {@code failure} is empty unless the model could not fit.
 */
public record ModelScore(String model, int origins, double[] pinball, double[] scaledPinball, double mase,
        double coverage90, double coverage99, double idlePrecision, double idleRecall,
        double fitMillis, double predictMicros, String failure) {

    public ModelScore {
        pinball = pinball.clone();
        scaledPinball = scaledPinball.clone();
    }

    static ModelScore failed(String model, String why) {
        double[] none = new double[Forecast.LEVELS.length];
        Arrays.fill(none, Double.NaN);
        return new ModelScore(model, 0, none, none, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, why);
    }

    public boolean ok() {
        return failure.isEmpty();
    }

    /** Scaled pinball loss averaged over the levels: the figure the model selector ranks by. */
    public double meanScaledPinball() {
        return Arrays.stream(scaledPinball).average().orElse(Double.NaN);
    }

    public double meanPinball() {
        return Arrays.stream(pinball).average().orElse(Double.NaN);
    }

    /** Equal when every figure is equal (NaN equals NaN), arrays compared by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelScore m && model.equals(m.model) && origins == m.origins
                && Arrays.equals(pinball, m.pinball) && Arrays.equals(scaledPinball, m.scaledPinball)
                && Arrays.equals(new double[] {mase, coverage90, coverage99, idlePrecision, idleRecall, fitMillis, predictMicros},
                        new double[] {m.mase, m.coverage90, m.coverage99, m.idlePrecision, m.idleRecall, m.fitMillis,
                            m.predictMicros})
                && failure.equals(m.failure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, origins, Arrays.hashCode(pinball), mase, failure);
    }

    @Override
    public String toString() {
        return "ModelScore[" + model + ", origins " + origins + ", pinball " + Arrays.toString(pinball) + ", scaled "
                + Arrays.toString(scaledPinball) + ", mase " + mase + ", coverage " + coverage90 + "/" + coverage99
                + ", idle P/R " + idlePrecision + "/" + idleRecall + ", fit " + fitMillis + " ms, predict "
                + predictMicros + " us" + (failure.isEmpty() ? "" : ", failed: " + failure) + "]";
    }

    @Override
    public double[] pinball() {
        return pinball.clone();
    }

    @Override
    public double[] scaledPinball() {
        return scaledPinball.clone();
    }
}
