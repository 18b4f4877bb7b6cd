package io.dormouse.sim;

/**
 * Where a run's time went. Building (demand and random draws), tuning (the tuned timeouts' history
 * replays), fitting (hybrid histogram windows, forecasts, chance counts), deciding and accounting are CPU
 * time summed over the worker threads; {@code wallMs} is the whole run's elapsed time after loading.
 */
public record Timings(double loadingMs, double buildingMs, double tuningMs, double fittingMs, double decidingMs,
        double accountingMs, double wallMs, int threads) {

    public Timings withLoading(double ms) {
        return new Timings(ms, buildingMs, tuningMs, fittingMs, decidingMs, accountingMs, wallMs, threads);
    }
}
