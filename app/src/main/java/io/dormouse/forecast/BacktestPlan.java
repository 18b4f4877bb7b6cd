package io.dormouse.forecast;

import java.time.Duration;

/**
 * How a rolling-origin backtest runs: fit on the first {@code trainShare} of the series, then
 * forecast {@code horizon} ahead from origins every {@code originEvery} until the series ends.
 */
public record BacktestPlan(double trainShare, Duration horizon, Duration originEvery, IdleQuery idle) {

    public BacktestPlan {
        if (!(trainShare > 0 && trainShare < 1)) {
            throw new ForecastException("trainShare must be between 0 and 1 (exclusive), got " + trainShare);
        }
        if (horizon == null || horizon.isNegative() || horizon.isZero()) {
            throw new ForecastException("horizon must be positive, got " + horizon);
        }
        if (originEvery == null || originEvery.isNegative() || originEvery.isZero()) {
            throw new ForecastException("originEvery must be positive, got " + originEvery);
        }
        if (idle == null) {
            throw new ForecastException("idle query must not be null");
        }
    }

    /** Train on 70%, forecast {@code horizon} from an origin every hour. */
    public static BacktestPlan of(Duration horizon, IdleQuery idle) {
        return new BacktestPlan(0.7, horizon, Duration.ofHours(1), idle);
    }
}
