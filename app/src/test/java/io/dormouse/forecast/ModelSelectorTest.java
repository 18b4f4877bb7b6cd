package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSelectorTest {

    private final Series series = Synthetic.seasonal(3 * Synthetic.WEEK, 3, 31);

    @Test
    void picksTheCandidateWithTheLowestScaledPinballLoss() {
        Forecaster oracle = Fakes.oracle(series);
        ModelSelector selector = ModelSelector.of(List.of(SeasonalNaive.previousDay(), oracle, HoltWinters.create()));

        ModelSelector.Selection selection = selector.select(series, Calendar.EMPTY);

        assertThat(selection.chosen()).isSameAs(oracle);
        assertThat(selection.scores()).extracting(ModelScore::model)
                .containsExactly("naive-day", "oracle", "holt-winters");
        assertThat(selection.scores().get(1).meanScaledPinball()).isZero();
    }

    @Test
    void breaksTiesByCandidateOrderAndRanksFailuresLast() {
        Forecaster b = Fakes.constant("b", 100);
        Forecaster a = Fakes.constant("a", 100);

        assertThat(ModelSelector.of(List.of(Fakes.failing("x"), b, a)).select(series, Calendar.EMPTY).chosen()).isSameAs(b);
        assertThat(ModelSelector.of(List.of(a, b)).select(series, Calendar.EMPTY).chosen()).isSameAs(a);
    }

    @Test
    void fitsTheChosenCandidateOnTheWholeHistory() {
        Forecaster best = Fakes.constant("best", 100);
        Forecaster worst = Fakes.constant("worst", -1000);

        Forecast f = ModelSelector.of(List.of(worst, best)).fit(series, Calendar.EMPTY).predict(series, 3);

        assertThat(f.quantile(0.5)).containsExactly(100, 100, 100);
    }

    @Test
    void defaultCandidatesAreTheModelsOfThisPackage() {
        assertThat(ModelSelector.create().candidates()).extracting(Forecaster::name)
                .containsExactly("naive-day", "naive-week", "naive-max", "holt-winters", "hybrid-histogram", "lstm");
        assertThat(ModelSelector.create().name()).isEqualTo("selector");
    }
}
