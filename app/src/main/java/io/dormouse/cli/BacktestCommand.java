package io.dormouse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dormouse.forecast.Aggregation;
import io.dormouse.forecast.Backtest;
import io.dormouse.forecast.BacktestPlan;
import io.dormouse.forecast.Calendar;
import io.dormouse.forecast.DurationText;
import io.dormouse.forecast.EventCalendar;
import io.dormouse.forecast.Forecast;
import io.dormouse.forecast.ForecastException;
import io.dormouse.forecast.Forecaster;
import io.dormouse.forecast.Forecasters;
import io.dormouse.forecast.GapPolicy;
import io.dormouse.forecast.IdleQuery;
import io.dormouse.forecast.ModelScore;
import io.dormouse.forecast.ModelSelector;
import io.dormouse.forecast.Sample;
import io.dormouse.forecast.SampleCsv;
import io.dormouse.forecast.Series;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backtest}: scores every forecaster on a {@code timestamp,value} CSV with a rolling-origin
 * backtest, locally, without a server; prints an aligned table or JSON.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = "Backtests every forecasting model on a timestamp,value CSV and prints their scores.")
public final class BacktestCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--csv", required = true, paramLabel = "FILE",
            description = "CSV with a header timestamp,value (YYYY-MM-DD HH:MM:SS UTC or ISO-8601).")
    Path csv;

    @Option(names = "--horizon", defaultValue = "2h", converter = DurationConverter.class,
            description = "How far ahead each forecast reaches (default: ${DEFAULT-VALUE}).")
    Duration horizon;

    @Option(names = "--every", defaultValue = "1h", converter = DurationConverter.class,
            description = "Time between forecast origins (default: ${DEFAULT-VALUE}).")
    Duration every;

    @Option(names = "--train", defaultValue = "0.7",
            description = "Share of the series the models are fitted on (default: ${DEFAULT-VALUE}).")
    double trainShare;

    @Option(names = "--step", converter = DurationConverter.class,
            description = "Step of the series grid (default: the most frequent interval in the CSV).")
    Duration step;

    @Option(names = "--calendar", paramLabel = "FILE",
            description = "Calendar events, one a line, e.g. 'backup cron 0 2 * * * for 1h factor 3.0'.")
    Path calendarFile;

    @Option(names = "--idle-threshold",
            description = "Demand below this is idle (default: 10%% of the way from the training minimum to its 99th percentile).")
    Double idleThreshold;

    @Option(names = "--idle-min", defaultValue = "30m", converter = DurationConverter.class,
            description = "Idle must last at least this long (default: ${DEFAULT-VALUE}).")
    Duration idleMin;

    @Option(names = "--idle-within", defaultValue = "2h", converter = DurationConverter.class,
            description = "Idle must start and end within this time after the origin (default: ${DEFAULT-VALUE}).")
    Duration idleWithin;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            Series series = read();
            Calendar calendar = calendarFile == null ? Calendar.EMPTY : EventCalendar.parse(Files.readAllLines(calendarFile));
            double threshold = idleThreshold != null ? idleThreshold
                    : IdleQuery.relativeThreshold(series.head((int) (series.size() * trainShare)), 0.1);
            BacktestPlan plan = new BacktestPlan(trainShare, horizon, every, new IdleQuery(threshold, idleMin, idleWithin, 0.9));
            List<Forecaster> models = new ArrayList<>(Forecasters.all());
            models.add(ModelSelector.of(Forecasters.all()));
            List<ModelScore> scores = new Backtest(plan).run(models, series, calendar);
            out.print(json ? json(series, plan, scores) : table(series, plan, scores));
            out.flush();
            return 0;
        } catch (ForecastException e) {
            spec.commandLine().getErr().println("backtest: " + e.getMessage());
            return 1;
        }
    }

    private Series read() throws IOException {
        if (!Files.isReadable(csv)) {
            throw new ForecastException("cannot read --csv " + csv + ": no such readable file");
        }
        List<Sample> samples;
        try (Reader reader = Files.newBufferedReader(csv)) {
            samples = SampleCsv.parse(reader);
        } catch (ForecastException e) {
            throw new ForecastException(csv + ": " + e.getMessage());
        }
        Duration grid = step != null ? step : Series.typicalStep(samples);
        return Series.fromSamples(samples, grid, Aggregation.MEAN, GapPolicy.interpolate(3));
    }

    private static String table(Series series, BacktestPlan plan, List<ModelScore> scores) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"model", "scaled pinball", "q0.5", "q0.9", "q0.99", "MASE", "cov90", "cov99",
            "idle P", "idle R", "fit ms", "predict us"});
        for (ModelScore s : scores) {
            if (!s.ok()) {
                rows.add(new String[] {s.model(), "failed: " + s.failure(), "", "", "", "", "", "", "", "", "", ""});
                continue;
            }
            double[] scaled = s.scaledPinball();
            rows.add(new String[] {s.model(), fmt(s.meanScaledPinball(), 3), fmt(scaled[0], 3), fmt(scaled[1], 3),
                fmt(scaled[2], 3), fmt(s.mase(), 3), fmt(s.coverage90(), 3), fmt(s.coverage99(), 3),
                fmt(s.idlePrecision(), 3), fmt(s.idleRecall(), 3), fmt(s.fitMillis(), 1), fmt(s.predictMicros(), 0)});
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d steps of %s from %s; horizon %s, origins every %s, trained on %.0f%%; "
                + "idle below %s for %s within %s%n", series.size(), DurationText.format(series.step()), series.start(),
                DurationText.format(plan.horizon()), DurationText.format(plan.originEvery()), plan.trainShare() * 100,
                fmt(plan.idle().threshold(), 4), DurationText.format(plan.idle().minIdle()),
                DurationText.format(plan.idle().within())));
        b.append("pinball losses scaled by the previous-week seasonal naive; MASE scaled by the previous-day naive\n\n");
        b.append(Output.format(rows));
        return b.toString();
    }

    private static String json(Series series, BacktestPlan plan, List<ModelScore> scores) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("steps", series.size());
        root.put("step", series.step().toString());
        root.put("horizon", plan.horizon().toString());
        root.put("originEvery", plan.originEvery().toString());
        root.put("trainShare", plan.trainShare());
        root.put("pinballScaledBy", "naive-week");
        root.put("maseScaledBy", "naive-day");
        number(root, "idleThreshold", plan.idle().threshold());
        ArrayNode models = root.putArray("models");
        for (ModelScore s : scores) {
            ObjectNode m = models.addObject();
            m.put("model", s.model());
            if (!s.ok()) {
                m.put("failure", s.failure());
                continue;
            }
            m.put("origins", s.origins());
            number(m, "scaledPinball", s.meanScaledPinball());
            ObjectNode pinball = m.putObject("pinball");
            ObjectNode scaled = m.putObject("scaledPinballByLevel");
            for (int q = 0; q < Forecast.LEVELS.length; q++) {
                String level = Double.toString(Forecast.LEVELS[q]);
                number(pinball, level, s.pinball()[q]);
                number(scaled, level, s.scaledPinball()[q]);
            }
            number(m, "mase", s.mase());
            number(m, "coverage90", s.coverage90());
            number(m, "coverage99", s.coverage99());
            number(m, "idlePrecision", s.idlePrecision());
            number(m, "idleRecall", s.idleRecall());
            number(m, "fitMillis", s.fitMillis());
            number(m, "predictMicros", s.predictMicros());
        }
        return mapper.writeValueAsString(root) + "\n";
    }

    /** JSON has no NaN: an undefined metric is null. */
    private static void number(ObjectNode node, String field, double v) {
        if (Double.isFinite(v)) {
            node.put(field, v);
        } else {
            node.putNull(field);
        }
    }

    private static String fmt(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "n/a";
    }

    /** Reads {@code 2h}, {@code 30m}, {@code PT2H}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return DurationText.parse(value);
            } catch (ForecastException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
