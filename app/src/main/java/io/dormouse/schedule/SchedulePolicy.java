package io.dormouse.schedule;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the scheduler treats one VM. Demand is in the unit of the VM's demand series (for example
 * requests or connections per sampling step). The gap between {@code hibernateBelow} and
 * {@code wakeAbove} is the hysteresis band: inside it the VM keeps whatever state it is in.
 *
 * @param kind                  which signal decides: see {@link Kind}
 * @param hibernateBelow        a running VM may hibernate while demand stays strictly below this
 * @param hibernateAfter        for how long demand must stay below {@code hibernateBelow}: observed
 *                              for {@link Kind#FIXED_IDLE}, predicted ahead for the forecasting kinds; for
 *                              {@link Kind#EXPECTED_COST} the idle awake time a cold start is worth
 * @param wakeAbove             a hibernated VM is woken ahead when predicted demand goes strictly above
 *                              this; at least {@code hibernateBelow}
 * @param wakeMargin            how much earlier than its expected restore time a VM is woken
 * @param minimumAwake          a VM that came up less than this ago is not hibernated
 * @param maxTransitionsPerHour the flap guard: the scheduler starts no transition for a VM that made
 *                              this many in the last hour
 * @param alwaysOn              weekly windows (UTC) in which the VM is kept awake
 * @param tune                  whether the scheduler replaces the three thresholds by the tuned ones
 */
public record SchedulePolicy(Kind kind, double hibernateBelow, Duration hibernateAfter, double wakeAbove,
                             Duration wakeMargin, Duration minimumAwake, int maxTransitionsPerHour,
                             AlwaysOnWindows alwaysOn, boolean tune) {

    /** Which signal decides for the VM. */
    public enum Kind {
        /** Hibernate after observed idleness; never woken ahead (DNS and the front door wake it). */
        FIXED_IDLE,
        /** Hibernate and wake ahead on the hybrid histogram policy's forecast (Shahrad et al. 2020). */
        HYBRID_HISTOGRAM,
        /** Hibernate and wake ahead on the forecast of the model that backtests best for the VM. */
        PREDICTIVE,
        /**
         * Hibernate once the quiet time reaches the limit that, on the VM's own past quiet gaps like the present
         * one, costs least with a cold start worth {@code hibernateAfter} of idle awake time (the ski-rental
         * rule learned per VM); never woken ahead.
         */
        EXPECTED_COST,
        /** Never hibernated by the scheduler; woken whenever it sleeps. */
        ALWAYS_ON;

        /** The lower-case, dashed name the API and configuration use. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** @throws ScheduleException naming {@code kind} and the allowed labels */
        public static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label().equalsIgnoreCase(label == null ? "" : label.replace('_', '-'))) {
                    return k;
                }
            }
            throw new ScheduleException("kind", "kind must be one of fixed-idle, hybrid-histogram, predictive,"
                    + " expected-cost, always-on, got '" + label + "'");
        }
    }

    /** The default policy: predictive, hibernate under 0.5 for 15 minutes, wake above 1, 6 transitions an hour. */
    public static final SchedulePolicy DEFAULT = new SchedulePolicy(Kind.PREDICTIVE, 0.5, Duration.ofMinutes(15), 1.0,
            Duration.ofSeconds(30), Duration.ofMinutes(5), 6, AlwaysOnWindows.NONE, false);

    public SchedulePolicy {
        Objects.requireNonNull(kind, "kind");
        alwaysOn = alwaysOn == null ? AlwaysOnWindows.NONE : alwaysOn;
        if (!Double.isFinite(hibernateBelow) || hibernateBelow < 0) {
            throw new ScheduleException("hibernateBelow", "hibernateBelow must be a finite number of 0 or more, got "
                    + hibernateBelow);
        }
        if (!Double.isFinite(wakeAbove) || wakeAbove < hibernateBelow) {
            throw new ScheduleException("wakeAbove", "wakeAbove must be a finite number at least hibernateBelow ("
                    + hibernateBelow + "), so that the two leave a hysteresis band, got " + wakeAbove);
        }
        positive("hibernateAfter", hibernateAfter);
        notNegative("wakeMargin", wakeMargin);
        notNegative("minimumAwake", minimumAwake);
        if (maxTransitionsPerHour < 1 || maxTransitionsPerHour > 3600) {
            throw new ScheduleException("maxTransitionsPerHour", "maxTransitionsPerHour must be 1 to 3600, got "
                    + maxTransitionsPerHour);
        }
    }

    /** This policy with the alwaysOn windows parsed from {@code windows}. */
    public SchedulePolicy withAlwaysOn(List<String> windows) {
        return new SchedulePolicy(kind, hibernateBelow, hibernateAfter, wakeAbove, wakeMargin, minimumAwake,
                maxTransitionsPerHour, AlwaysOnWindows.parse(windows), tune);
    }

    /** This policy with other thresholds, as tuning chooses them. */
    public SchedulePolicy withThresholds(double below, Duration after, double above) {
        return new SchedulePolicy(kind, below, after, above, wakeMargin, minimumAwake, maxTransitionsPerHour, alwaysOn,
                tune);
    }

    public SchedulePolicy withKind(Kind next) {
        return new SchedulePolicy(next, hibernateBelow, hibernateAfter, wakeAbove, wakeMargin, minimumAwake,
                maxTransitionsPerHour, alwaysOn, tune);
    }

    private static void positive(String field, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ScheduleException(field, field + " must be a positive duration, got " + d);
        }
    }

    private static void notNegative(String field, Duration d) {
        if (d == null || d.isNegative()) {
            throw new ScheduleException(field, field + " must be a duration of 0 or more, got " + d);
        }
    }
}
