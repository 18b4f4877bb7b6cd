package io.dormouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.forecast.ModelScore;
import io.dormouse.forecast.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastReportTest {

    @TempDir
    Path dir;

    private static ForecastReport report(double selectorLoss) {
        ForecastReport report = new ForecastReport(Duration.ofHours(2), Duration.ofHours(1), 0.7, 0.1);
        Series s = new Series(Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMinutes(5), new double[4032]);
        report.addTrace("vm", s, List.of(
                score("naive-week", 1.0, 40),
                score("selector", selectorLoss, 900)), "naive-week", 120.0);
        return report;
    }

    private static ModelScore score(String model, double scaled, double predictMicros) {
        return new ModelScore(model, 10, new double[] {1, 2, 3}, new double[] {scaled, scaled, scaled}, 0.9,
                0.9, 0.99, 1.0, 0.5, 12.5, predictMicros, "");
    }

    @Test
    void replacesOnlyTheForecastingSection() throws IOException {
        Path file = dir.resolve("benchmarks.md");
        Files.writeString(file, "# Benchmarks\n\n## DNS\n\nqueries per second\n\n## Forecasting\n\nold figures\n\n## Snapshots\n\nrestore times\n");

        report(0.7).writeInto(file, "test machine");

        String text = Files.readString(file);
        assertThat(text).startsWith("# Benchmarks\n\n## DNS\n\nqueries per second\n\n## Forecasting\n");
        assertThat(text).contains("\n## Snapshots\n\nrestore times\n").doesNotContain("old figures");
        assertThat(text).contains("Machine: test machine.");
        assertThat(text).contains("| selector | 0.70 | 0.90 | 0.90 | 0.99 | 1.00 | 0.50 | 12.5 | 900 |");
        assertThat(text).contains("| selected model's scaled pinball, mean over traces | ≤ 0.80 (naive-week = 1.00) | 0.70 | yes |");
        assertThat(text).contains("| 120.0 ms | yes |").contains("| 900 µs | yes |");
    }

    @Test
    void appendsTheSectionToAFileWithoutIt() throws IOException {
        Path file = dir.resolve("benchmarks.md");
        Files.writeString(file, "# Benchmarks\n\n## DNS\n\nqueries per second\n");

        report(0.9).writeInto(file, "m");

        String text = Files.readString(file);
        assertThat(text).startsWith("# Benchmarks\n\n## DNS\n\nqueries per second\n\n## Forecasting\n");
        assertThat(text).contains("| 0.90 | no |");
    }
}
