package io.dormouse.bench;

import io.dormouse.forecast.Aggregation;
import io.dormouse.forecast.Backtest;
import io.dormouse.forecast.BacktestPlan;
import io.dormouse.forecast.Calendar;
import io.dormouse.forecast.Forecaster;
import io.dormouse.forecast.Forecasters;
import io.dormouse.forecast.GapPolicy;
import io.dormouse.forecast.IdleQuery;
import io.dormouse.forecast.ModelScore;
import io.dormouse.forecast.ModelSelector;
import io.dormouse.forecast.SampleCsv;
import io.dormouse.forecast.Series;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs every forecaster and the model selector through a rolling-origin backtest on every trace
 * and writes the results into the "Forecasting" section of {@code docs/benchmarks.md}.
 * Arguments: {@code [traces directory] [benchmarks file]}, relative to the repository root by default.
 */
public final class ForecastBench {

    static final Duration HORIZON = Duration.ofHours(2);
    static final Duration ORIGIN_EVERY = Duration.ofHours(1);
    static final double TRAIN_SHARE = 0.7;
    /** Idle below 10% of the way from a trace's minimum to its 99th percentile, for 30 min within 2 h. */
    static final double IDLE_FRACTION = 0.1;
    /** The "one VM" of the fit-time goal: 14 days of 5-minute history. */
    static final int VM_HISTORY_STEPS = 14 * 288;

    public static void main(String[] args) throws IOException {
        Path traces = Path.of(args.length > 0 ? args[0] : "../shared/data/traces");
        Path output = Path.of(args.length > 1 ? args[1] : "docs/benchmarks.md");
        if (!Files.isDirectory(traces)) {
            throw new IllegalArgumentException("traces directory " + traces.toAbsolutePath()
                    + " not found: run from the repository root or pass the directory as the first argument");
        }
        List<Forecaster> candidates = Forecasters.all();
        List<Forecaster> models = new ArrayList<>(candidates);
        models.add(ModelSelector.of(candidates));

        Map<String, Series> series = load(traces);
        warmUp(models, series.values().iterator().next());
        ForecastReport report = new ForecastReport(HORIZON, ORIGIN_EVERY, TRAIN_SHARE, IDLE_FRACTION);
        for (Map.Entry<String, Series> e : series.entrySet()) {
            Series s = e.getValue();
            IdleQuery idle = new IdleQuery(IdleQuery.relativeThreshold(s.head((int) (s.size() * TRAIN_SHARE)),
                    IDLE_FRACTION), Duration.ofMinutes(30), HORIZON, 0.9);
            Backtest backtest = new Backtest(new BacktestPlan(TRAIN_SHARE, HORIZON, ORIGIN_EVERY, idle));
            List<ModelScore> scores = backtest.run(models, s, Calendar.EMPTY);
            String chosen = ModelSelector.of(candidates).select(s.head((int) (s.size() * TRAIN_SHARE)), Calendar.EMPTY)
                    .chosen().name();
            report.addTrace(e.getKey(), s, scores, chosen, fitAllMillis(candidates, s));
            System.out.printf("%-34s done, selector chose %s%n", e.getKey(), chosen);
        }
        report.writeInto(output, Machine.describe());
        System.out.println("wrote " + output);
    }

    static Map<String, Series> load(Path traces) throws IOException {
        Map<String, Series> series = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(traces)) {
            for (Path csv : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(csv)) {
                    var samples = SampleCsv.parse(reader);
                    series.put(csv.getFileName().toString().replace(".csv", ""), Series.fromSamples(samples,
                            Series.typicalStep(samples), Aggregation.MEAN, GapPolicy.interpolate(3)));
                }
            }
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no .csv traces in " + traces.toAbsolutePath());
        }
        return series;
    }

    /** Fits every model a few times so that the measured runs are of compiled code. */
    private static void warmUp(List<Forecaster> models, Series s) {
        for (int round = 0; round < 3; round++) {
            for (Forecaster m : models) {
                try {
                    m.fit(s, Calendar.EMPTY).predict(s, 24);
                } catch (RuntimeException ignored) {
                    // a model that cannot fit this trace is scored (as failed) later
                }
            }
        }
    }

    /** Time to fit every candidate on one VM's 14 days of history, or NaN when the trace is shorter. */
    private static double fitAllMillis(List<Forecaster> candidates, Series s) {
        if (s.size() < VM_HISTORY_STEPS || !s.step().equals(Duration.ofMinutes(5))) {
            return Double.NaN;
        }
        Series vm = s.head(VM_HISTORY_STEPS);
        long start = System.nanoTime();
        for (Forecaster f : candidates) {
            try {
                f.fit(vm, Calendar.EMPTY);
            } catch (RuntimeException e) {
                System.err.println(f.name() + " cannot fit 14 days: " + e.getMessage());
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }
}
