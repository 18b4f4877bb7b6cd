package io.dormouse.bench;

import io.dormouse.schedule.AlwaysOnWindows;
import io.dormouse.schedule.Foresight;
import io.dormouse.schedule.Replay;
import io.dormouse.schedule.SchedulePolicy;
import io.dormouse.schedule.Tuning;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The scheduler's decision core at simulator scale: VMS synthetic traces of STEPS 5-minute steps (a
 * daily burst at a random hour, noise, idle nights) replayed through the decider one decision per VM
 * per step, and the tuning of one VM's two weeks on the default grid. Prints a Markdown table; run by
 * {@code bench/schedule VMS STEPS}.
 */
public final class ScheduleBench {

    private static final Duration STEP = Duration.ofMinutes(5);
    private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");

    private ScheduleBench() {
    }

    public static void main(String[] args) {
        int vms = Integer.parseInt(args[0]);
        int steps = Integer.parseInt(args[1]);
        SchedulePolicy predictive = new SchedulePolicy(SchedulePolicy.Kind.PREDICTIVE, 0.5, Duration.ofMinutes(30), 1.0,
                Duration.ofMinutes(5), Duration.ofMinutes(15), 6, AlwaysOnWindows.NONE, false);
        SchedulePolicy fixed = predictive.withKind(SchedulePolicy.Kind.FIXED_IDLE);
        SplittableRandom random = new SplittableRandom(42);
        double[][] traces = new double[Math.min(vms, 100)][];
        for (int i = 0; i < traces.length; i++) {
            traces[i] = trace(random, steps);
        }
        StringBuilder table = new StringBuilder("| what | VMs x steps | time | per decision |\n|---|---:|---:|---:|\n");
        for (SchedulePolicy policy : new SchedulePolicy[] {predictive, fixed}) {
            replay(policy, traces, 10, steps); // warm-up
            long started = System.nanoTime();
            long coldStarts = replay(policy, traces, vms, steps);
            long nanos = System.nanoTime() - started;
            table.append(String.format(Locale.ROOT, "| replay, %s, perfect forecast (%d cold starts) | %d x %d | %.2f s | %.0f ns |%n",
                    policy.kind().label(), coldStarts, vms, steps, nanos / 1e9, (double) nanos / ((long) vms * steps)));
        }
        double[] twoWeeks = trace(random, 14 * 288);
        Tuning.Grid grid = Tuning.Grid.of(twoWeeks, STEP);
        Tuning.Costs costs = new Tuning.Costs(1, 1, 0);
        Tuning.tune(predictive, twoWeeks, START, STEP, Foresight.perfect(twoWeeks), Duration.ofSeconds(2), costs, grid);
        long started = System.nanoTime();
        Tuning.Tuned tuned = Tuning.tune(predictive, twoWeeks, START, STEP, Foresight.repeating(twoWeeks, 288),
                Duration.ofSeconds(2), costs, grid);
        long nanos = System.nanoTime() - started;
        table.append(String.format(Locale.ROOT, "| tuning one VM, predictive, naive-day forecast, %d candidates | 1 x %d | %.2f s | %.0f ns |%n",
                tuned.candidates(), twoWeeks.length, nanos / 1e9, (double) nanos / ((long) tuned.candidates() * twoWeeks.length)));
        System.out.print(table);
    }

    private static long replay(SchedulePolicy policy, double[][] traces, int vms, int steps) {
        long coldStarts = 0;
        for (int vm = 0; vm < vms; vm++) {
            double[] demand = traces[vm % traces.length];
            coldStarts += Replay.run(policy, demand, START, STEP, Foresight.perfect(demand), Duration.ofSeconds(2), 0.5, 1)
                    .coldStarts();
        }
        return coldStarts;
    }

    /** A day of idle night, a burst at a random hour, and noise, repeated with small day-to-day changes. */
    private static double[] trace(SplittableRandom random, int steps) {
        double[] demand = new double[steps];
        int burst = random.nextInt(288);
        int length = 6 + random.nextInt(36);
        for (int t = 0; t < steps; t++) {
            int inDay = t % 288;
            boolean busy = inDay >= burst && inDay < burst + length;
            demand[t] = busy ? 5 + random.nextDouble() * 10 : random.nextDouble() < 0.02 ? 1 + random.nextDouble() : 0;
        }
        return Arrays.copyOf(demand, steps);
    }
}
