package io.dormouse.forecast;

import java.time.Instant;
import java.util.Map;

/**
 * Known events (a nightly backup, a campaign, a holiday) that change demand. Every model
 * uses them: as features (the LSTM) or as multiplicative adjustments (the others).
 */
public interface Calendar {

    /** The calendar with no events. */
    Calendar EMPTY = new Calendar() {
        @Override
        public double loadFactor(Instant t) {
            return 1.0;
        }

        @Override
        public boolean eventAt(Instant t) {
            return false;
        }
    };

    /** Expected demand multiplier at {@code t}: 1.0 outside events. */
    double loadFactor(Instant t);

    /** Whether any event is in effect at {@code t}. */
    boolean eventAt(Instant t);

    /**
     * The events in effect at {@code t} by name, each with its declared load factor (the product
     * when several events share a name). Models learn one effect per name from history.
     */
    default Map<String, Double> factorsAt(Instant t) {
        return eventAt(t) ? Map.of("event", loadFactor(t)) : Map.of();
    }
}
