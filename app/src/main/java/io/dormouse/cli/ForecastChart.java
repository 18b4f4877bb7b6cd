package io.dormouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.config.HumanDuration;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a forecast as a chart: history, the median ahead, the 0.9 and 0.99 quantile bands and
 * event windows. The same drawing goes to SVG (text) or PNG (Java2D), chosen by file extension.
 */
final class ForecastChart {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 40;

    private record Point(Instant t, double v) {
    }

    private final JsonNode forecast;
    private final List<Point> history = new ArrayList<>();
    private final List<List<Point>> ahead = new ArrayList<>();
    private final Instant start;
    private final Instant end;
    private final double max;

    ForecastChart(JsonNode forecast) {
        this.forecast = forecast;
        JsonNode past = forecast.path("history");
        JsonNode future = forecast.path("forecast");
        for (JsonNode row : future.path("values")) {
            ahead.add(points(future, row));
        }
        Instant origin = Instant.parse(future.path("start").asText());
        end = ahead.isEmpty() || ahead.getLast().isEmpty() ? origin.plusSeconds(1) : ahead.getLast().getLast().t();
        // Enough history to compare with: four horizons, and at least a day.
        Duration shown = Duration.between(origin, end).multipliedBy(4);
        start = origin.minus(shown.compareTo(Duration.ofDays(1)) < 0 ? Duration.ofDays(1) : shown);
        points(past, past.path("values").get(0)).stream().filter(p -> !p.t().isBefore(start)).forEach(history::add);
        double top = 0;
        for (Point p : history) {
            top = Math.max(top, p.v());
        }
        for (List<Point> band : ahead) {
            for (Point p : band) {
                top = Math.max(top, p.v());
            }
        }
        max = top <= 0 ? 1 : top * 1.05;
    }

    private static List<Point> points(JsonNode band, JsonNode values) {
        Instant t0 = Instant.parse(band.path("start").asText());
        Duration step = HumanDuration.parse(band.path("step").asText());
        List<Point> out = new ArrayList<>();
        for (int i = 0; values != null && i < values.size(); i++) {
            if (!values.get(i).isNull()) {
                out.add(new Point(t0.plus(step.multipliedBy(i)), values.get(i).asDouble()));
            }
        }
        return out;
    }

    void write(Path file) throws IOException {
        ChartCanvas.write(file, WIDTH, HEIGHT, this::draw);
    }

    private void draw(ChartCanvas c) {
        c.rect(0, 0, WIDTH, HEIGHT, "#ffffff", 1);
        for (JsonNode w : forecast.path("events")) {
            double x0 = x(Instant.parse(w.path("from").asText()));
            double x1 = x(Instant.parse(w.path("to").asText()));
            c.rect(x0, TOP, Math.max(1, x1 - x0), HEIGHT - TOP - BOTTOM, "#f5c26b", 0.35);
        }
        if (ahead.size() >= 3) {
            c.polygon(band(ahead.get(0), ahead.get(2)), "#9ecae1", 0.45);
            c.polygon(band(ahead.get(0), ahead.get(1)), "#4292c6", 0.45);
        }
        c.polyline(line(history), "#444444", 1.2);
        if (!ahead.isEmpty()) {
            c.polyline(line(ahead.getFirst()), "#08519c", 2);
        }
        c.polyline(List.of(new double[] {LEFT, TOP}, new double[] {LEFT, HEIGHT - BOTTOM},
                new double[] {WIDTH - RIGHT, HEIGHT - BOTTOM}), "#000000", 1);
        c.text(LEFT, 24, forecast.path("vm").asText() + " " + forecast.path("metric").asText() + ": model "
                + forecast.path("model").asText() + ", median with 0.9 and 0.99 bands, events shaded", 14);
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            c.text(6, y(v) + 4, String.format(Locale.ROOT, "%.4g", v), 11);
        }
        c.text(LEFT, HEIGHT - 14, start.toString(), 11);
        c.text(WIDTH - RIGHT - 170, HEIGHT - 14, end.toString(), 11);
    }

    private List<double[]> line(List<Point> points) {
        return points.stream().map(p -> new double[] {x(p.t()), y(p.v())}).toList();
    }

    private List<double[]> band(List<Point> lower, List<Point> upper) {
        List<double[]> poly = new ArrayList<>(line(upper));
        List<double[]> low = new ArrayList<>(line(lower));
        java.util.Collections.reverse(low);
        poly.addAll(low);
        return poly;
    }

    private double x(Instant t) {
        double span = Math.max(1, end.toEpochMilli() - start.toEpochMilli());
        return LEFT + (WIDTH - LEFT - RIGHT) * (t.toEpochMilli() - start.toEpochMilli()) / span;
    }

    private double y(double v) {
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * v / max;
    }

}
