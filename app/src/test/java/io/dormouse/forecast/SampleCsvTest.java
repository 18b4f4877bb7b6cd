package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleCsvTest {

    @Test
    void readsBothTimestampFormsAfterTheHeader() {
        List<Sample> samples = SampleCsv.parse(new StringReader("""
                timestamp,value
                2014-04-02 14:25:00,0.068
                2014-04-02T14:30:00Z,1.5

                2014-04-02T16:35:00+02:00,2
                2014-04-02T14:40:00,3
                """));

        assertThat(samples).containsExactly(
                new Sample(Instant.parse("2014-04-02T14:25:00Z"), 0.068),
                new Sample(Instant.parse("2014-04-02T14:30:00Z"), 1.5),
                new Sample(Instant.parse("2014-04-02T14:35:00Z"), 2),
                new Sample(Instant.parse("2014-04-02T14:40:00Z"), 3));
    }

    @Test
    void reportsAMalformedRowByItsLineNumber() {
        String text = """
                timestamp,value
                2014-04-02 14:25:00,1
                2014-04-02 14:30:00,abc
                """;

        assertThatThrownBy(() -> SampleCsv.parse(text))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("line 3: value 'abc' is not a number");
        assertThatThrownBy(() -> SampleCsv.parse("timestamp,value\n2014-04-02 14:25,1\n"))
                .hasMessageContaining("line 2: timestamp '2014-04-02 14:25' is neither");
        assertThatThrownBy(() -> SampleCsv.parse("2014-04-02 14:25:00,1,2\n"))
                .hasMessageContaining("line 1: expected 2 fields timestamp,value, found 3");
        assertThatThrownBy(() -> SampleCsv.parse("2014-04-02 14:25:00,NaN\n"))
                .hasMessageContaining("line 1: value NaN is not finite");
    }
}
