package io.dormouse.forecast;

import java.util.List;

/** The one list of candidate forecasters: what the model selector and the benchmark compare. */
public final class Forecasters {

    private Forecasters() {
    }

    /** Every candidate, in tie-break order (earlier wins a tie): the LSTM is a candidate, never the default. */
    public static List<Forecaster> all() {
        return List.of(
                SeasonalNaive.previousDay(),
                SeasonalNaive.previousWeek(),
                SeasonalNaive.maxOfDayAndWeek(),
                HoltWinters.create(),
                HybridHistogram.create(),
                Lstm.withDefaults());
    }
}
