package io.dormouse.schedule;

import java.time.Duration;
import java.util.Locale;

/**
 * What the scheduler decides for one VM at one instant. A decision carries its cause and the figures
 * behind it; {@link #reason()} words them only when asked, so that deciding stays cheap.
 */
public sealed interface Decision {

    /** The cause, for counting decisions by kind. */
    Why why();

    /** The figure the decision turned on (a demand level, a count, or seconds), NaN when none. */
    double value();

    /** What that figure was held against (a threshold, a limit, or seconds), NaN when none. */
    double limit();

    /** The span the decision looked at or the offset of the step it turned on. */
    Duration span();

    /** One line saying why, for logs, events and the API. */
    default String reason() {
        return why().describe(value(), limit(), span());
    }

    /** {@code hibernate}, {@code wake-ahead} or {@code stay}, as logs, metrics and the API name it. */
    default String action() {
        return switch (this) {
            case Hibernate h -> "hibernate";
            case WakeAhead w -> "wake-ahead";
            case Stay s -> "stay";
        };
    }

    /** Save the running VM's state and stop it. */
    record Hibernate(Why why, double value, double limit, Duration span) implements Decision {
    }

    /** Restore the hibernated VM now, so it runs before the demand it expects. */
    record WakeAhead(Why why, double value, double limit, Duration span) implements Decision {
    }

    /** Leave the VM as it is. */
    record Stay(Why why, double value, double limit, Duration span) implements Decision {
    }

    /** Every cause a decision can have, with its wording. */
    enum Why {
        ALWAYS_ON_POLICY("policy kind always-on"),
        IN_ALWAYS_ON_WINDOW("inside an always-on window"),
        ALWAYS_ON_WINDOW_AHEAD("an always-on window begins within the next %3$s"),
        ACTIVE_CONNECTIONS("%1$.0f active connections"),
        MINIMUM_AWAKE("awake for %1$.0f s, under its minimum awake time of %2$.0f s"),
        FLAP_GUARD("flap guard: %1$.0f transitions in the last hour, the limit is %2$.0f"),
        SHORT_HISTORY("only %1$.0f observed steps, %2$.0f needed to cover hibernateAfter"),
        BUSY_OBSERVED("observed demand %1$.3g %3$s ago is not below %2$.3g"),
        QUIET_OBSERVED("observed demand stayed below %2$.3g for %3$s (peak %1$.3g)"),
        BUSY_NOW("demand now %1$.3g is not below %2$.3g"),
        SHORT_FORECAST("the forecast covers %1$.0f steps, %2$.0f needed"),
        BUSY_PREDICTED("predicted demand %1$.3g at +%3$s is not below %2$.3g"),
        QUIET_PREDICTED("predicted demand stays below %2$.3g for the next %3$s (peak %1$.3g)"),
        REACTIVE_ONLY("policy kind fixed-idle or expected-cost: woken by DNS or the front door only"),
        QUIET_UNDER_LIMIT("quiet for %1$.0f steps, under the %2$.0f its past gaps make worth staying awake"),
        QUIET_PAST_LIMIT("quiet for %1$.0f steps, past the %2$.0f its past gaps make worth staying awake"),
        DEMAND_NOW("demand now %1$.3g is above the wake threshold %2$.3g"),
        DEMAND_AHEAD("predicted demand %1$.3g at +%3$s crosses the wake threshold %2$.3g within restore time"
                + " plus margin"),
        QUIET_AHEAD("predicted demand stays at or below %2$.3g for the next %3$s (peak %1$.3g)");

        private final String template;

        Why(String template) {
            this.template = template;
        }

        /** The lower-case, dashed name logs, metrics and the API use. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        String describe(double value, double limit, Duration span) {
            return String.format(Locale.ROOT, template, value, limit, words(span));
        }

        private static String words(Duration d) {
            if (d == null) {
                return "-";
            }
            long s = d.toSeconds();
            if (s % 3600 == 0 && s > 0) {
                return s / 3600 + "h";
            }
            if (s % 60 == 0 && s > 0) {
                return s / 60 + "m";
            }
            return d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
        }
    }
}
