package io.dormouse.bench;

import io.dormouse.forecast.DurationText;
import io.dormouse.forecast.ModelScore;
import io.dormouse.forecast.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The "Forecasting" section of docs/benchmarks.md: per-trace and overall tables, and the goals. */
final class ForecastReport {

    static final String HEADING = "## Forecasting";

    private record TraceResult(String trace, Series series, List<ModelScore> scores, String chosen, double fitAllMillis) {
    }

    private final Duration horizon;
    private final Duration originEvery;
    private final double trainShare;
    private final double idleFraction;
    private final List<TraceResult> traces = new ArrayList<>();

    ForecastReport(Duration horizon, Duration originEvery, double trainShare, double idleFraction) {
        this.horizon = horizon;
        this.originEvery = originEvery;
        this.trainShare = trainShare;
        this.idleFraction = idleFraction;
    }

    void addTrace(String trace, Series series, List<ModelScore> scores, String chosen, double fitAllMillis) {
        traces.add(new TraceResult(trace, series, List.copyOf(scores), chosen, fitAllMillis));
    }

    /** Replaces the section in {@code file} (or appends it), keeping every other section. */
    void writeInto(Path file, String machine) throws IOException {
        String existing = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
        String section = section(machine);
        int start = existing.indexOf(HEADING + "\n");
        String updated;
        if (start < 0) {
            updated = existing.stripTrailing() + "\n\n" + section;
        } else {
            int next = existing.indexOf("\n## ", start + HEADING.length());
            updated = existing.substring(0, start) + section + (next < 0 ? "" : "\n" + existing.substring(next + 1));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, updated);
    }

    String section(String machine) {
        StringBuilder b = new StringBuilder(HEADING).append("\n\n");
        b.append("Produced by `bench/forecast` (`io.dormouse.bench.ForecastBench`). Machine: ").append(machine)
                .append(".\n\n");
        b.append("Rolling-origin backtest on each trace of `../shared/data/traces` (gaps up to 3 steps interpolated, ")
                .append("longer ones missing): every model is fitted once on the first ")
                .append(Math.round(trainShare * 100)).append("% of the trace, then forecasts ")
                .append(DurationText.format(horizon)).append(" ahead from an origin every ")
                .append(DurationText.format(originEvery)).append(" to the end. No calendar events. ")
                .append("*Scaled pinball*: pinball loss averaged over the 0.5, 0.9 and 0.99 quantiles, each divided by ")
                .append("the previous-week seasonal naive's loss on the same origins (naive-week = 1.00; lower is better). ")
                .append("*MASE*: mean absolute error of the median over the in-sample mean absolute error of the ")
                .append("previous-day naive. *cov90/cov99*: share of actuals at or below the 0.9/0.99 quantile. ")
                .append("*idle P/R*: precision and recall of \"below the threshold for 30 min within the next 2 h\", ")
                .append("predicted from the 0.9 quantile; threshold ").append(Math.round(idleFraction * 100))
                .append("% of the way from the training part's minimum to its 99th percentile. ")
                .append("*fit ms*: one fit on the training part; *predict µs*: mean per forecast. ")
                .append("*selector* backtests the other models on the last 40% of its training part (fitted on ")
                .append("the first 60%) and forecasts with the best; that share was picked among 0.25, 0.4 and 0.5 ")
                .append("on these same traces, so its figure is optimistic. Times are single-threaded wall clock after a warm-up.\n\n");
        b.append("### Overall (mean over traces)\n\n");
        overall(b);
        b.append("\n### Goals (reported, not asserted)\n\n");
        goals(b);
        b.append("\n### Per trace\n\n");
        for (TraceResult t : traces) {
            b.append("#### ").append(t.trace).append(" (").append(t.series.size()).append(" steps of ")
                    .append(DurationText.format(t.series.step())).append("; selector chose ").append(t.chosen)
                    .append(")\n\n");
            table(b, t.scores);
            b.append('\n');
        }
        return b.toString();
    }

    private void overall(StringBuilder b) {
        b.append("| model | scaled pinball | MASE | cov90 | cov99 | idle P | idle R | fit ms | predict µs |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String model : models()) {
            b.append("| ").append(model)
                    .append(" | ").append(fmt(mean(model, ModelScore::meanScaledPinball), 2))
                    .append(" | ").append(fmt(mean(model, ModelScore::mase), 2))
                    .append(" | ").append(fmt(mean(model, ModelScore::coverage90), 2))
                    .append(" | ").append(fmt(mean(model, ModelScore::coverage99), 2))
                    .append(" | ").append(fmt(mean(model, ModelScore::idlePrecision), 2))
                    .append(" | ").append(fmt(mean(model, ModelScore::idleRecall), 2))
                    .append(" | ").append(fmt(mean(model, ModelScore::fitMillis), 1))
                    .append(" | ").append(fmt(mean(model, ModelScore::predictMicros), 0)).append(" |\n");
        }
    }

    private void goals(StringBuilder b) {
        double selector = mean("selector", ModelScore::meanScaledPinball);
        double fitAll = traces.stream().mapToDouble(t -> t.fitAllMillis).filter(Double::isFinite).max().orElse(Double.NaN);
        double predict = traces.stream().flatMap(t -> t.scores.stream()).mapToDouble(ModelScore::predictMicros)
                .filter(Double::isFinite).max().orElse(Double.NaN);
        b.append("| goal | target | measured | met |\n|---|---|---:|---|\n");
        b.append("| selected model's scaled pinball, mean over traces | ≤ 0.80 (naive-week = 1.00) | ")
                .append(fmt(selector, 2)).append(" | ").append(selector <= 0.8 ? "yes" : "no").append(" |\n");
        b.append("| fit every candidate on one VM's 14 days of 5-minute history (4032 steps), slowest trace | ≤ 1000 ms | ")
                .append(fmt(fitAll, 1)).append(" ms | ").append(fitAll <= 1000 ? "yes" : "no").append(" |\n");
        b.append("| one prediction, slowest model and trace (mean per forecast) | ≤ 1000 µs | ")
                .append(fmt(predict, 0)).append(" µs | ").append(predict <= 1000 ? "yes" : "no").append(" |\n");
    }

    private static void table(StringBuilder b, List<ModelScore> scores) {
        b.append("| model | scaled pinball | q0.5 | q0.9 | q0.99 | MASE | cov90 | cov99 | idle P | idle R | fit ms | predict µs |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ModelScore s : scores) {
            if (!s.ok()) {
                b.append("| ").append(s.model()).append(" | failed: ").append(s.failure().replace('|', '/'))
                        .append(" |||||||||||\n");
                continue;
            }
            double[] scaled = s.scaledPinball();
            b.append("| ").append(s.model()).append(" | ").append(fmt(s.meanScaledPinball(), 2));
            for (double v : scaled) {
                b.append(" | ").append(fmt(v, 2));
            }
            b.append(" | ").append(fmt(s.mase(), 2)).append(" | ").append(fmt(s.coverage90(), 2))
                    .append(" | ").append(fmt(s.coverage99(), 2)).append(" | ").append(fmt(s.idlePrecision(), 2))
                    .append(" | ").append(fmt(s.idleRecall(), 2)).append(" | ").append(fmt(s.fitMillis(), 1))
                    .append(" | ").append(fmt(s.predictMicros(), 0)).append(" |\n");
        }
    }

    private List<String> models() {
        Map<String, Boolean> names = new LinkedHashMap<>();
        traces.forEach(t -> t.scores.forEach(s -> names.put(s.model(), true)));
        return List.copyOf(names.keySet());
    }

    private double mean(String model, ToDoubleFunction<ModelScore> metric) {
        return traces.stream().flatMap(t -> t.scores.stream()).filter(s -> s.model().equals(model) && s.ok())
                .mapToDouble(metric).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static String fmt(double v, int decimals) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%." + decimals + "f", v) : "n/a";
    }
}
