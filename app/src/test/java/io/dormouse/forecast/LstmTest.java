package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LstmTest {

    private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(5);
    private static final int DAY = 288;
    private static final int TRAIN = 7 * DAY;
    private static final int HORIZON = 36;

    /** A week of daily-seasonal demand with noise, then a held-out day. */
    private static Series seasonal;
    private static Forecaster.Model seasonalModel;

    @BeforeAll
    static void fitSeasonal() {
        seasonal = series(TRAIN + DAY, 11, i -> 0.0);
        seasonalModel = Lstm.withDefaults().fit(seasonal.head(TRAIN), Calendar.EMPTY);
    }

    @Test
    void isNamedLstm() {
        assertThat(Lstm.withDefaults().name()).isEqualTo("lstm");
    }

    @Test
    void learnsDailySeasonalityFarBetterThanTheTrainingMean() {
        double mean = Arrays.stream(seasonal.head(TRAIN).values()).average().orElseThrow();
        double lstm = 0;
        double constant = 0;
        double medianError = 0;
        double lastValueError = 0;
        for (int origin = TRAIN; origin + HORIZON <= seasonal.size(); origin += 12) {
            Forecast f = seasonalModel.predict(seasonal.head(origin), HORIZON);
            for (int h = 0; h < HORIZON; h++) {
                double y = seasonal.at(origin + h);
                for (int q = 0; q < Forecast.LEVELS.length; q++) {
                    lstm += pinball(y, f.values()[q][h], Forecast.LEVELS[q]);
                    constant += pinball(y, mean, Forecast.LEVELS[q]);
                }
                medianError += Math.abs(y - f.values()[0][h]);
                lastValueError += Math.abs(y - seasonal.at(origin - 1));
            }
        }
        assertThat(lstm).isLessThan(0.3 * constant);
        assertThat(medianError).as("the median follows the daily curve, not the last value").isLessThan(0.6 * lastValueError);
    }

    @Test
    void upperQuantilesLieAboveTheMedianAndCoverRoughlyTheirShare() {
        int[] below = new int[Forecast.LEVELS.length];
        int count = 0;
        for (int origin = TRAIN; origin + HORIZON <= seasonal.size(); origin += 12) {
            Forecast f = seasonalModel.predict(seasonal.head(origin), HORIZON);
            assertThat(f.start()).isEqualTo(seasonal.timeAt(origin));
            assertThat(f.steps()).isEqualTo(HORIZON);
            for (int h = 0; h < HORIZON; h++) {
                assertThat(f.values()[1][h]).isGreaterThan(f.values()[0][h]);
                assertThat(f.values()[2][h]).isGreaterThan(f.values()[1][h]);
                double y = seasonal.at(origin + h);
                for (int q = 0; q < Forecast.LEVELS.length; q++) {
                    below[q] += y <= f.values()[q][h] ? 1 : 0;
                }
                count++;
            }
        }
        assertThat((double) below[0] / count).as("share below the median").isBetween(0.3, 0.7);
        assertThat((double) below[1] / count).as("share below the 0.9 quantile").isBetween(0.75, 0.98);
        assertThat((double) below[2] / count).as("share below the 0.99 quantile").isGreaterThan(0.93);
    }

    @Test
    void sameSeedGivesIdenticalForecastsAndAnotherSeedOtherWeights() {
        Series history = seasonal.head(3 * DAY);
        LstmConfig config = LstmConfig.defaults().withTraining(5, 40);
        LstmModel first = (LstmModel) Lstm.of(config).fit(history, Calendar.EMPTY);
        LstmModel again = (LstmModel) Lstm.of(config).fit(history, Calendar.EMPTY);
        LstmModel other = (LstmModel) Lstm.of(config.withSeed(config.seed() + 1)).fit(history, Calendar.EMPTY);

        assertThat(again.parameters()).isEqualTo(first.parameters());
        assertThat(again.predict(history, HORIZON).values()).isDeepEqualTo(first.predict(history, HORIZON).values());
        assertThat(other.parameters()).isNotEqualTo(first.parameters());
    }

    @Test
    void twoLayersTrainAndForecast() {
        Series history = seasonal.head(3 * DAY);
        Forecaster.Model model = Lstm.of(LstmConfig.defaults().withLayers(2).withTraining(5, 40))
                .fit(history, Calendar.EMPTY);
        LstmModel oneLayer = (LstmModel) Lstm.of(LstmConfig.defaults().withTraining(5, 40))
                .fit(history, Calendar.EMPTY);

        assertThat(((LstmModel) model).parameters()).hasSizeGreaterThan(oneLayer.parameters().length);
        assertThat(Arrays.stream(model.predict(history, HORIZON).values()[0]).boxed().toList()).allMatch(Double::isFinite);
    }

    /**
     * Events every 7 h 15 min, out of step with the day and the week, so that only the calendar
     * can tell when the next one comes; demand doubles during them.
     */
    @Test
    void calendarFeaturesLowerTheErrorOnEventSteps() {
        long period = Duration.ofMinutes(435).toSeconds();
        long length = Duration.ofMinutes(30).toSeconds();
        Predicate<Instant> during = t -> Math.floorMod(t.getEpochSecond() - START.getEpochSecond(), period) < length;
        Calendar events = calendar(t -> during.test(t) ? 2.0 : 1.0, during);
        Series history = series(TRAIN + DAY, 13, i -> events.eventAt(START.plus(STEP.multipliedBy(i))) ? 1.0 : 0.0);
        Forecaster.Model withCalendar = Lstm.withDefaults().fit(history.head(TRAIN), events);
        Forecaster.Model without = Lstm.withDefaults().fit(history.head(TRAIN), Calendar.EMPTY);

        double errorWith = 0;
        double errorWithout = 0;
        int eventSteps = 0;
        for (int origin = TRAIN; origin + HORIZON <= history.size(); origin += 6) {
            double[] with = withCalendar.predict(history.head(origin), HORIZON).quantile(0.5);
            double[] plain = without.predict(history.head(origin), HORIZON).quantile(0.5);
            for (int h = 0; h < HORIZON; h++) {
                if (events.eventAt(history.timeAt(origin + h))) {
                    errorWith += Math.abs(history.at(origin + h) - with[h]);
                    errorWithout += Math.abs(history.at(origin + h) - plain[h]);
                    eventSteps++;
                }
            }
        }
        assertThat(eventSteps).isGreaterThan(100);
        assertThat(errorWith).isLessThan(0.5 * errorWithout);
    }

    @Test
    void gapsInHistoryAndContextAreMasked() {
        double[] values = seasonal.head(3 * DAY).values();
        Arrays.fill(values, 100, 160, Double.NaN);
        Arrays.fill(values, values.length - 20, values.length - 5, Double.NaN);
        Series gappy = new Series(START, STEP, values);

        Forecast f = Lstm.of(LstmConfig.defaults().withTraining(5, 40)).fit(gappy, Calendar.EMPTY).predict(gappy, HORIZON);

        for (double[] level : f.values()) {
            assertThat(Arrays.stream(level).boxed().toList()).allMatch(Double::isFinite);
        }
    }

    /** On a series whose level wanders, the model has to learn to follow the recent past. */
    @Test
    void conditionsOnTheContextWithoutRefitting() {
        SplittableRandom random = new SplittableRandom(5);
        double[] values = new double[TRAIN];
        double level = 20;
        for (int i = 0; i < TRAIN; i++) {
            level = Math.clamp(level + random.nextGaussian() * 0.3, 10, 30);
            values[i] = level + 3 * Math.sin(2 * Math.PI * i / DAY) + random.nextGaussian() * 0.3;
        }
        Series history = new Series(START, STEP, values);
        Forecaster.Model model = Lstm.withDefaults().fit(history, Calendar.EMPTY);
        double[] raised = values.clone();
        for (int i = TRAIN - LstmConfig.defaults().window(); i < TRAIN; i++) {
            raised[i] += 6;
        }
        Forecast before = model.predict(history, HORIZON);

        Forecast afterRise = model.predict(new Series(START, STEP, raised), HORIZON);

        assertThat(afterRise.quantile(0.5)[0]).isGreaterThan(before.quantile(0.5)[0] + 3);
        assertThat(model.predict(history, HORIZON).values()).isDeepEqualTo(before.values());
    }

    @Test
    void anIdleSeriesForecastsIdle() {
        Series idle = new Series(START, STEP, new double[3 * DAY]);

        Forecast f = Lstm.of(LstmConfig.defaults().withTraining(5, 40)).fit(idle, Calendar.EMPTY).predict(idle, HORIZON);

        for (double[] level : f.values()) {
            assertThat(Arrays.stream(level).boxed().toList()).allMatch(v -> v >= 0 && v < 0.5);
        }
    }

    @Test
    void forecastsFromAContextShorterThanTheWindow() {
        Series context = new Series(seasonal.timeAt(TRAIN), STEP, Arrays.copyOfRange(seasonal.values(), TRAIN, TRAIN + 10));

        Forecast f = seasonalModel.predict(context, HORIZON);

        assertThat(f.start()).isEqualTo(context.end());
        assertThat(Arrays.stream(f.values()[0]).boxed().toList()).allMatch(Double::isFinite);
    }

    @Test
    void refusesAContextAtAnotherStep() {
        Series hourly = new Series(START, Duration.ofHours(1), new double[100]);

        assertThatThrownBy(() -> seasonalModel.predict(hourly, HORIZON))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("PT1H")
                .hasMessageContaining("PT5M");
    }

    @Test
    void refusesTooShortHistory() {
        Series shortHistory = seasonal.head(50);

        assertThatThrownBy(() -> Lstm.withDefaults().fit(shortHistory, Calendar.EMPTY))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("history has 50 steps")
                .hasMessageContaining("at least " + LstmConfig.defaults().sequenceLength());
    }

    @Test
    void refusesAllMissingHistory() {
        double[] missing = new double[3 * DAY];
        Arrays.fill(missing, Double.NaN);
        Series history = new Series(START, STEP, missing);

        assertThatThrownBy(() -> Lstm.withDefaults().fit(history, Calendar.EMPTY))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("no observed value");
    }

    @Test
    void refusesAnInfiniteHistoryValue() {
        double[] values = seasonal.head(TRAIN).values();
        values[7] = Double.POSITIVE_INFINITY;
        Series history = new Series(START, STEP, values);

        assertThatThrownBy(() -> Lstm.withDefaults().fit(history, Calendar.EMPTY))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("step 7")
                .hasMessageContaining("Infinity");
    }

    @Test
    void refusesANonPositiveLoadFactor() {
        Calendar broken = calendar(t -> 0.0, t -> false);

        assertThatThrownBy(() -> Lstm.withDefaults().fit(seasonal.head(TRAIN), broken))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("load factor");
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                invalid("hiddenSize", c -> new LstmConfig(0, c.layers(), c.window(), c.horizon(), c.epochs(),
                        c.learningRate(), c.batchSize(), c.stride(), c.maxUpdates(), c.seed())),
                invalid("layers", c -> c.withLayers(3)),
                invalid("window", c -> new LstmConfig(c.hiddenSize(), c.layers(), 0, c.horizon(), c.epochs(),
                        c.learningRate(), c.batchSize(), c.stride(), c.maxUpdates(), c.seed())),
                invalid("horizon", c -> new LstmConfig(c.hiddenSize(), c.layers(), c.window(), -1, c.epochs(),
                        c.learningRate(), c.batchSize(), c.stride(), c.maxUpdates(), c.seed())),
                invalid("epochs", c -> c.withTraining(0, 10)),
                invalid("learningRate", c -> new LstmConfig(c.hiddenSize(), c.layers(), c.window(), c.horizon(),
                        c.epochs(), Double.NaN, c.batchSize(), c.stride(), c.maxUpdates(), c.seed())),
                invalid("batchSize", c -> new LstmConfig(c.hiddenSize(), c.layers(), c.window(), c.horizon(),
                        c.epochs(), c.learningRate(), 0, c.stride(), c.maxUpdates(), c.seed())),
                invalid("stride", c -> new LstmConfig(c.hiddenSize(), c.layers(), c.window(), c.horizon(),
                        c.epochs(), c.learningRate(), c.batchSize(), 0, c.maxUpdates(), c.seed())),
                invalid("maxUpdates", c -> c.withTraining(10, 0)));
    }

    private static Arguments invalid(String field, UnaryOperator<LstmConfig> change) {
        return Arguments.of(field, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void configValidationNamesTheField(String field, UnaryOperator<LstmConfig> change) {
        assertThatThrownBy(() -> change.apply(LstmConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field + " must be");
    }

    /** Daily sine around 10 with Gaussian noise, doubled where {@code event} gives 1. */
    private static Series series(int length, long seed, IntToDoubleFunction event) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            double level = 10 + 5 * Math.sin(2 * Math.PI * i / DAY) + random.nextGaussian() * 0.5;
            values[i] = level * (1 + event.applyAsDouble(i));
        }
        return new Series(START, STEP, values);
    }

    private static Calendar calendar(ToDoubleFunction<Instant> loadFactor, Predicate<Instant> eventAt) {
        return new Calendar() {
            @Override
            public double loadFactor(Instant t) {
                return loadFactor.applyAsDouble(t);
            }

            @Override
            public boolean eventAt(Instant t) {
                return eventAt.test(t);
            }
        };
    }

    private static double pinball(double y, double q, double level) {
        double u = y - q;
        return u >= 0 ? level * u : (level - 1) * u;
    }
}
