package io.dormouse.forecast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Rolling-origin evaluation: each model is fitted once on the first part of a series, then asked
 * for forecasts from successive origins with {@link Forecaster.Model#predict} on the series up to
 * the origin. Scores in {@link ModelScore}; times from an injected nanosecond clock.
 */
public final class Backtest {

    private final BacktestPlan plan;
    private final LongSupplier nanoClock;

    public Backtest(BacktestPlan plan) {
        this(plan, System::nanoTime);
    }

    public Backtest(BacktestPlan plan, LongSupplier nanoClock) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Scores each of {@code models} on {@code series}, in the given order. */
    public List<ModelScore> run(List<Forecaster> models, Series series, Calendar calendar) {
        Layout layout = layout(series);
        double[] baseline = null;
        try {
            baseline = evaluate(SeasonalNaive.previousWeek(), series, calendar, layout).meanPinball();
        } catch (ForecastException e) {
            // no baseline (history under a week): scaled losses stay NaN
        }
        double naiveScale = previousDayError(series, layout.train);
        List<ModelScore> scores = new ArrayList<>();
        for (Forecaster model : models) {
            try {
                scores.add(evaluate(model, series, calendar, layout).score(model.name(), baseline, naiveScale));
            } catch (ForecastException e) {
                scores.add(ModelScore.failed(model.name(), e.getMessage()));
            }
        }
        return scores;
    }

    public ModelScore run(Forecaster model, Series series, Calendar calendar) {
        return run(List.of(model), series, calendar).getFirst();
    }

    private record Layout(int train, int horizon, int every, int idleRun, int idleWindow) {
    }

    private Layout layout(Series s) {
        int train = (int) Math.floor(s.size() * plan.trainShare());
        int horizon = s.stepsPer(plan.horizon());
        int every = Math.max(1, (int) (plan.originEvery().toNanos() / s.step().toNanos()));
        int run = (int) Math.ceil((double) plan.idle().minIdle().toNanos() / s.step().toNanos());
        int window = (int) (plan.idle().within().toNanos() / s.step().toNanos());
        if (train < 1 || train + horizon > s.size()) {
            throw new ForecastException("series of " + s.size() + " steps leaves no forecast origin: "
                    + train + " training steps plus a horizon of " + horizon + " steps (" + plan.horizon()
                    + ") exceed it");
        }
        return new Layout(train, horizon, every, run, window);
    }

    private ScoreSheet evaluate(Forecaster model, Series series, Calendar calendar, Layout layout) {
        ScoreSheet sheet = new ScoreSheet();
        Series history = series.head(layout.train);
        long start = nanoClock.getAsLong();
        Forecaster.Model fitted = model.fit(history, calendar);
        sheet.fitNanos = nanoClock.getAsLong() - start;
        double[] actual = series.values();
        int steps = Math.max(layout.horizon, layout.idleWindow);
        for (int origin = layout.train; origin + layout.horizon <= series.size(); origin += layout.every) {
            Series context = series.head(origin);
            long before = nanoClock.getAsLong();
            Forecast f = fitted.predict(context, steps);
            sheet.predictNanos += nanoClock.getAsLong() - before;
            sheet.add(f, actual, origin, layout.horizon);
            if (origin + layout.idleWindow <= series.size()) {
                IdleQuery q = plan.idle();
                sheet.addIdle(q.idle(f.quantile(q.level()), 0, layout.idleRun, layout.idleWindow),
                        q.idle(actual, origin, layout.idleRun, layout.idleWindow));
            }
        }
        return sheet;
    }

    /** In-sample mean absolute error of repeating the previous day, over the training part: MASE's scale. */
    private static double previousDayError(Series s, int train) {
        int day = s.stepsPer(Duration.ofDays(1));
        double sum = 0;
        int n = 0;
        for (int t = day; t < train; t++) {
            double e = Math.abs(s.at(t) - s.at(t - day));
            if (!Double.isNaN(e)) {
                sum += e;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
