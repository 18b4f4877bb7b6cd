package io.dormouse.sim;

import io.dormouse.forecast.Aggregation;
import io.dormouse.forecast.ForecastException;
import io.dormouse.forecast.GapPolicy;
import io.dormouse.forecast.Sample;
import io.dormouse.forecast.SampleCsv;
import io.dormouse.forecast.Series;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads {@code timestamp,value} CSV traces (files, or directories of {@code *.csv}) onto the
 * simulator's 5-minute grid. A coarser trace whose step divides evenly (nyc_taxi's 30 minutes)
 * repeats each value; a finer or irregular one keeps the largest value of each step. Gaps of up to
 * three steps are interpolated; longer gaps are quiet (the trace's minimum): no data, no demand.
 */
public final class Traces {

    private static final int MAX_INTERPOLATED = 3;

    private Traces() {
    }

    /** Every trace named by {@code paths}, directories expanded to their CSV files in name order. */
    public static List<Trace> load(List<Path> paths) {
        if (paths.isEmpty()) {
            throw new SimulationException("traces: no file or directory given");
        }
        List<Trace> traces = new ArrayList<>();
        for (Path path : paths) {
            for (Path file : csvFiles(path)) {
                traces.add(read(file));
            }
        }
        return traces;
    }

    private static List<Path> csvFiles(Path path) {
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                List<Path> csv = files.filter(f -> f.getFileName().toString().endsWith(".csv") && Files.isRegularFile(f))
                        .sorted().toList();
                if (csv.isEmpty()) {
                    throw new SimulationException("traces: directory " + path + " holds no .csv file");
                }
                return csv;
            } catch (IOException e) {
                throw new SimulationException("traces: cannot list " + path + ": " + e.getMessage());
            }
        }
        if (!Files.isReadable(path)) {
            throw new SimulationException("traces: " + path + " is neither a directory nor a readable file");
        }
        return List.of(path);
    }

    static Trace read(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
        List<Sample> samples;
        try (Reader reader = Files.newBufferedReader(file)) {
            samples = SampleCsv.parse(reader);
        } catch (IOException e) {
            throw new SimulationException("traces: cannot read " + file + ": " + e.getMessage());
        } catch (ForecastException e) {
            throw new SimulationException("traces: " + file + ": " + e.getMessage());
        }
        try {
            return onGrid(name, samples);
        } catch (ForecastException e) {
            throw new SimulationException("traces: " + file + ": " + e.getMessage());
        }
    }

    /** {@code samples} on the 5-minute grid, as described in the class comment. */
    static Trace onGrid(String name, List<Sample> samples) {
        Duration natural = samples.size() < 2 ? Trace.STEP : Series.typicalStep(samples);
        long stepNanos = Trace.STEP.toNanos();
        boolean coarser = natural.toNanos() > stepNanos && natural.toNanos() % stepNanos == 0;
        Series series = Series.fromSamples(samples, coarser ? natural : Trace.STEP,
                Aggregation.MAX, GapPolicy.interpolate(MAX_INTERPOLATED));
        double[] v = series.values();
        double quiet = Double.POSITIVE_INFINITY;
        for (double x : v) {
            quiet = Double.isNaN(x) ? quiet : Math.min(quiet, x);
        }
        int repeat = coarser ? (int) (natural.toNanos() / stepNanos) : 1;
        double[] out = new double[v.length * repeat];
        for (int i = 0; i < out.length; i++) {
            double x = v[i / repeat];
            out[i] = Double.isNaN(x) ? quiet : x;
        }
        return new Trace(name, series.start(), out);
    }
}
