package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.forecast.SampleCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracesTest {

    @TempDir
    Path dir;

    @Test
    void aHalfHourTraceRepeatsEachValueOnTheFiveMinuteGrid() {
        Trace t = Traces.onGrid("taxi", SampleCsv.parse("""
                timestamp,value
                2014-07-01 00:00:00,10
                2014-07-01 00:30:00,20
                2014-07-01 01:00:00,30
                """));

        assertThat(t.values()).containsExactly(10, 10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 20, 30, 30, 30, 30, 30, 30);
    }

    @Test
    void shortGapsAreInterpolatedAndLongOnesAreQuiet() {
        StringBuilder csv = new StringBuilder("timestamp,value\n2014-04-02 00:00:00,4\n2014-04-02 00:05:00,6\n");
        csv.append("2014-04-02 00:15:00,10\n");   // one missing step: interpolated to 8
        csv.append("2014-04-02 00:40:00,12\n");   // four missing steps: the minimum, 4
        Trace t = Traces.onGrid("gappy", SampleCsv.parse(csv.toString()));

        assertThat(t.values()).containsExactly(4, 6, 8, 10, 4, 4, 4, 4, 12);
    }

    @Test
    void aDirectoryGivesItsCsvFilesInNameOrderAndAMissingPathIsNamed() throws IOException {
        Files.writeString(dir.resolve("b.csv"), "timestamp,value\n2014-04-02 00:00:00,1\n2014-04-02 00:05:00,2\n");
        Files.writeString(dir.resolve("a.csv"), "timestamp,value\n2014-04-02 00:00:00,3\n2014-04-02 00:05:00,4\n");
        Files.writeString(dir.resolve("notes.txt"), "not a trace");

        assertThat(Traces.load(List.of(dir)).stream().map(Trace::name)).containsExactly("a", "b");
        assertThatThrownBy(() -> Traces.load(List.of(dir.resolve("nope"))))
                .isInstanceOf(SimulationException.class).hasMessageContaining("nope");
    }

    @Test
    void aMalformedRowIsReportedWithItsFileAndLine() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "timestamp,value\n2014-04-02 00:00:00,1\n2014-04-02 00:05:00,many\n");

        assertThatThrownBy(() -> Traces.load(List.of(bad))).hasMessageContaining("bad.csv").hasMessageContaining("line 3");
    }
}
