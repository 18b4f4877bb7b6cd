package io.dormouse.forecast;

/**
 * A family member of demand forecasters: fitted once on a VM's history, then asked for
 * quantile forecasts from any later origin without refitting.
 */
public interface Forecaster {

    /** Short stable name used in tables, the API and configuration, for example {@code holt-winters}. */
    String name();

    /**
     * Fits the model on {@code history}.
     *
     * @throws ForecastException when the history is too short or otherwise unusable, naming why
     */
    Model fit(Series history, Calendar calendar);

    /** A fitted model. Implementations are immutable and safe to share between threads. */
    interface Model {

        /**
         * Predicts {@code steps} steps following the end of {@code context}: the observations up to
         * the forecast origin, at the step the model was fitted on (it may extend past the history
         * the model was fitted on; models condition on it without refitting).
         */
        Forecast predict(Series context, int steps);
    }
}
