package io.dormouse.cli;

import io.dormouse.sim.Pareto;
import io.dormouse.sim.PolicyResult;
import io.dormouse.sim.SimulationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Draws each policy's Pareto curve: cold-start rate against idle awake VM-hours, one colour a policy, the reported points marked. */
final class ParetoChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LEFT = 80;
    private static final int RIGHT = 200;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final String[] COLOURS = {"#7f7f7f", "#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd"};

    private final SimulationReport report;
    private final double maxX;
    private final double maxY;

    ParetoChart(SimulationReport report) {
        this.report = report;
        double x = 0;
        double y = 0;
        for (PolicyResult p : report.results()) {
            x = Math.max(x, p.idleAwakeVmHours());
            y = Math.max(y, p.coldStartRate());
        }
        maxX = x <= 0 ? 1 : x * 1.05;
        maxY = y <= 0 ? 0.01 : y * 1.05;
    }

    void write(Path file) throws IOException {
        ChartCanvas.write(file, WIDTH, HEIGHT, this::draw);
    }

    private void draw(ChartCanvas c) {
        c.rect(0, 0, WIDTH, HEIGHT, "#ffffff", 1);
        c.polyline(List.of(new double[] {LEFT, TOP}, new double[] {LEFT, HEIGHT - BOTTOM},
                new double[] {WIDTH - RIGHT, HEIGHT - BOTTOM}), "#000000", 1);
        c.text(LEFT, 24, String.format(Locale.ROOT, "%d VMs: cold-start rate against idle awake VM-hours (lower left is better)",
                report.vms()), 14);
        for (int i = 0; i <= 4; i++) {
            c.text(8, y(maxY * i / 4) + 4, String.format(Locale.ROOT, "%.1f%%", maxY * i / 4 * 100), 11);
            c.text(x(maxX * i / 4) - 20, HEIGHT - BOTTOM + 18, String.format(Locale.ROOT, "%.0f", maxX * i / 4), 11);
        }
        c.text(LEFT + 150, HEIGHT - 10, "idle awake VM-hours (scored part)", 12);
        int legend = 0;
        for (Pareto curve : report.curves()) {
            String colour = COLOURS[curve.family().ordinal() % COLOURS.length];
            List<double[]> line = curve.frontier().stream()
                    .map(p -> new double[] {x(p.idleAwakeVmHours()), y(p.coldStartRate())}).toList();
            if (line.size() > 1) {
                c.polyline(line, colour, 2);
            }
            for (PolicyResult p : report.results()) {
                if (p.family() == curve.family()) {
                    c.circle(x(p.idleAwakeVmHours()), y(p.coldStartRate()), p.reported() ? 5 : 2.5, colour);
                }
            }
            double ly = TOP + 20 + 20 * legend++;
            c.rect(WIDTH - RIGHT + 15, ly - 9, 12, 12, colour, 1);
            c.text(WIDTH - RIGHT + 33, ly + 2, curve.family().cliName(), 12);
        }
        c.text(WIDTH - RIGHT + 15, TOP + 30 + 20 * legend, "large dots: reported points", 11);
    }

    private double x(double v) {
        return LEFT + (WIDTH - LEFT - RIGHT) * v / maxX;
    }

    private double y(double v) {
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * v / maxY;
    }
}
