package io.dormouse.forecast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Picks, per series, the candidate with the best recent backtest: the lowest scaled pinball loss
 * averaged over the quantile levels (raw pinball when no candidate can be scaled, as on histories
 * under a week). Ties, and the order of failed candidates, follow the candidate list. As a
 * {@link Forecaster} it fits the chosen candidate on the whole history.
 */
public final class ModelSelector implements Forecaster {

    /** The outcome of a selection: the chosen candidate and every candidate's score. */
    public record Selection(Forecaster chosen, List<ModelScore> scores) {
        public Selection {
            scores = List.copyOf(scores);
        }
    }

    private final List<Forecaster> candidates;
    private final Backtest recent;

    private ModelSelector(List<Forecaster> candidates, Backtest recent) {
        if (candidates.isEmpty()) {
            throw new ForecastException("model selector needs at least one candidate");
        }
        this.candidates = List.copyOf(candidates);
        this.recent = recent;
    }

    /** Selects among {@link Forecasters#all()}. */
    public static ModelSelector create() {
        return of(Forecasters.all());
    }

    /**
     * Selects among {@code candidates}, scoring them on the last 40% of the history with 2-hour
     * forecasts from an origin every hour: long enough to span a few days of a two-week history, so
     * that one unusual day does not decide.
     */
    public static ModelSelector of(List<Forecaster> candidates) {
        return of(candidates, new BacktestPlan(0.6, Duration.ofHours(2), Duration.ofHours(1),
                IdleQuery.below(0)));
    }

    public static ModelSelector of(List<Forecaster> candidates, BacktestPlan recent) {
        return new ModelSelector(candidates, new Backtest(recent));
    }

    @Override
    public String name() {
        return "selector";
    }

    public List<Forecaster> candidates() {
        return candidates;
    }

    /** Backtests every candidate on {@code history} and picks the best; the first candidate that fits when none could be scored. */
    public Selection select(Series history, Calendar calendar) {
        List<ModelScore> scores;
        try {
            scores = recent.run(candidates, history, calendar);
        } catch (ForecastException tooShort) {
            return new Selection(candidates.getFirst(), List.of());
        }
        boolean scaled = scores.stream().anyMatch(s -> Double.isFinite(s.meanScaledPinball()));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            order.add(i);
        }
        Comparator<Integer> byLoss = Comparator.comparingDouble(i -> rankKey(scores.get(i), scaled));
        order.sort(byLoss.thenComparingInt(i -> i));
        return new Selection(candidates.get(order.getFirst()), scores);
    }

    @Override
    public Model fit(Series history, Calendar calendar) {
        Selection selection = select(history, calendar);
        List<Forecaster> fallbacks = new ArrayList<>(candidates);
        fallbacks.remove(selection.chosen());
        fallbacks.addFirst(selection.chosen());
        ForecastException last = null;
        for (Forecaster f : fallbacks) {
            try {
                return f.fit(history, calendar);
            } catch (ForecastException e) {
                last = e;
            }
        }
        throw new ForecastException("no candidate could fit: " + last.getMessage());
    }

    /** Lower is better; NaN (a failed or unscorable candidate) ranks last. */
    private static double rankKey(ModelScore s, boolean scaled) {
        double key = scaled ? s.meanScaledPinball() : s.meanPinball();
        return Double.isNaN(key) ? Double.POSITIVE_INFINITY : key;
    }
}
