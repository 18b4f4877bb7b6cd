package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NelderMeadTest {

    @Test
    void findsTheMinimumOfTheRosenbrockFunction() {
        NelderMead.Result r = new NelderMead(5000, 1e-14).minimize(
                x -> 100 * Math.pow(x[1] - x[0] * x[0], 2) + Math.pow(1 - x[0], 2), new double[] {-1.2, 1}, 0.5);

        assertThat(r.point()[0]).isCloseTo(1.0, within(1e-3));
        assertThat(r.point()[1]).isCloseTo(1.0, within(1e-3));
        assertThat(r.value()).isLessThan(1e-6);
    }

    @Test
    void findsAShiftedQuadraticMinimumInFiveDimensionsDeterministically() {
        double[] centre = {0.3, -2, 5, 1, -0.7};
        NelderMead optimizer = new NelderMead(20_000, 1e-15);
        java.util.function.ToDoubleFunction<double[]> f = x -> {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s += (i + 1) * (x[i] - centre[i]) * (x[i] - centre[i]);
            }
            return s + 4;
        };

        NelderMead.Result a = optimizer.minimize(f, new double[5], 1.0);
        NelderMead.Result b = optimizer.minimize(f, new double[5], 1.0);

        for (int i = 0; i < centre.length; i++) {
            assertThat(a.point()[i]).isCloseTo(centre[i], within(1e-3));
        }
        assertThat(a.value()).isCloseTo(4, within(1e-6));
        assertThat(b.point()).containsExactly(a.point());
        assertThat(a.evaluations()).isLessThanOrEqualTo(20_000);
    }

    @Test
    void movesAwayFromNaN() {
        NelderMead.Result r = new NelderMead(2000, 1e-12).minimize(
                x -> x[0] < 0 ? Double.NaN : (x[0] - 2) * (x[0] - 2), new double[] {0.5}, 1.0);

        assertThat(r.point()[0]).isCloseTo(2.0, within(1e-4));
    }
}
