package io.dormouse.forecast;

/** Running sums of one model's forecast errors over a backtest's origins. */
final class ScoreSheet {

    private final double[] pinball = new double[Forecast.LEVELS.length];
    private double absoluteError;
    private int points;
    private int below90;
    private int below99;
    private int truePositives;
    private int falsePositives;
    private int falseNegatives;
    private int origins;
    long fitNanos;
    long predictNanos;

    /** Adds the forecast from one origin: {@code actual[from + t]} is the outcome of step {@code t}. */
    void add(Forecast f, double[] actual, int from, int horizon) {
        origins++;
        double[] median = f.quantile(0.5);
        double[] q90 = f.quantile(0.9);
        double[] q99 = f.quantile(0.99);
        for (int t = 0; t < horizon; t++) {
            double y = actual[from + t];
            if (Double.isNaN(y)) {
                continue;
            }
            points++;
            for (int q = 0; q < pinball.length; q++) {
                pinball[q] += pinball(Forecast.LEVELS[q], y, f.values()[q][t]);
            }
            absoluteError += Math.abs(y - median[t]);
            below90 += y <= q90[t] ? 1 : 0;
            below99 += y <= q99[t] ? 1 : 0;
        }
    }

    /** Adds one answer to the idle question: predicted from the forecast, actual from the series. */
    void addIdle(boolean predicted, boolean actual) {
        truePositives += predicted && actual ? 1 : 0;
        falsePositives += predicted && !actual ? 1 : 0;
        falseNegatives += !predicted && actual ? 1 : 0;
    }

    /** The pinball (quantile) loss of forecasting {@code q} at level {@code tau} when {@code y} happened. */
    static double pinball(double tau, double y, double q) {
        double d = y - q;
        return d >= 0 ? tau * d : (tau - 1) * d;
    }

    double[] meanPinball() {
        double[] mean = new double[pinball.length];
        for (int q = 0; q < mean.length; q++) {
            mean[q] = points == 0 ? Double.NaN : pinball[q] / points;
        }
        return mean;
    }

    ModelScore score(String model, double[] baselinePinball, double naiveScale) {
        double[] mean = meanPinball();
        double[] scaled = new double[mean.length];
        for (int q = 0; q < mean.length; q++) {
            scaled[q] = baselinePinball == null || baselinePinball[q] == 0 ? Double.NaN : mean[q] / baselinePinball[q];
        }
        double mae = points == 0 ? Double.NaN : absoluteError / points;
        return new ModelScore(model, origins, mean, scaled, naiveScale > 0 ? mae / naiveScale : Double.NaN,
                ratio(below90, points), ratio(below99, points),
                ratio(truePositives, truePositives + falsePositives), ratio(truePositives, truePositives + falseNegatives),
                fitNanos / 1e6, origins == 0 ? Double.NaN : predictNanos / 1e3 / origins, "");
    }

    private static double ratio(int part, int whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }
}
