package io.dormouse.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replays a fleet through every policy point of the chosen families. Worker threads take VMs one at
 * a time; each VM is loaded, fitted once for all points, then decided and scored point by point into
 * the worker's own tallies, which are added up at the end (whole numbers: the figures do not depend
 * on the thread count).
 */
public final class Simulation {

    private final SimulationSettings settings;

    private Simulation(SimulationSettings settings) {
        this.settings = settings;
    }

    public static Simulation of(SimulationSettings settings) {
        return new Simulation(settings);
    }

    public SimulationReport run(List<Trace> traces) {
        SimulatedFleet fleet = SimulatedFleet.build(traces, settings.vms(), settings.seed());
        List<Policy> points = new ArrayList<>();
        List<Boolean> reported = new ArrayList<>();
        for (Family f : settings.families()) {
            for (Policy p : f.sweep()) {
                points.add(p);
                reported.add(f.reported().contains(p));
            }
        }
        long started = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < settings.threads(); i++) {
            workers.add(new Worker(fleet, points, next));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(settings.threads())) {
            List<Future<?>> done = new ArrayList<>();
            for (Worker w : workers) {
                done.add(pool.submit(w));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("simulation interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new SimulationException(e.getCause().toString());
        }
        double wall = (System.nanoTime() - started) / 1e6;
        List<PolicyResult> results = new ArrayList<>();
        for (int p = 0; p < points.size(); p++) {
            Tally total = new Tally();
            for (Worker w : workers) {
                total.add(w.tallies[p]);
            }
            results.add(PolicyResult.of(points.get(p), reported.get(p), total));
        }
        Timings timings = new Timings(0, sum(workers, 0), sum(workers, 4), sum(workers, 1), sum(workers, 2),
                sum(workers, 3), wall, settings.threads());
        return SimulationReport.of(fleet.size(), traces.size(), settings.historySteps(),
                settings.steps() - settings.historySteps(), settings.seed(), results, timings);
    }

    private static double sum(List<Worker> workers, int phase) {
        return workers.stream().mapToLong(w -> w.nanos[phase]).sum() / 1e6;
    }

    /** One thread's share: its buffers, its tallies and its time per phase (build, fit, decide, account, tune). */
    private final class Worker implements Runnable {

        private final SimulatedFleet fleet;
        private final List<Policy> points;
        private final AtomicInteger next;
        private final Tally[] tallies;
        private final long[] nanos = new long[5];

        Worker(SimulatedFleet fleet, List<Policy> points, AtomicInteger next) {
            this.fleet = fleet;
            this.points = points;
            this.next = next;
            this.tallies = new Tally[points.size()];
            for (int i = 0; i < tallies.length; i++) {
                tallies[i] = new Tally();
            }
        }

        @Override
        public void run() {
            VmRun run = new VmRun(settings.steps(), settings.historySteps());
            boolean[] awake = new boolean[settings.steps()];
            ActivityOdds odds = new ActivityOdds();
            ScheduledDecisions scheduler = new ScheduledDecisions(settings.latency());
            boolean hybrid = settings.families().contains(Family.HYBRID_HISTOGRAM);
            boolean tuned = settings.families().contains(Family.TUNED_TIMEOUT);
            boolean predictive = settings.families().contains(Family.PREDICTIVE);
            boolean expected = settings.families().contains(Family.EXPECTED_COST);
            QuietHazard hazard = new QuietHazard();
            for (int i = next.getAndIncrement(); i < fleet.size(); i = next.getAndIncrement()) {
                long t0 = System.nanoTime();
                run.load(fleet, fleet.vms().get(i), settings.seed(), settings.latency());
                long t1 = System.nanoTime();
                if (tuned) {
                    Fitting.tuned(run);
                }
                long tunedAt = System.nanoTime();
                if (hybrid) {
                    Fitting.hybrid(run);
                }
                if (predictive) {
                    Fitting.predictive(run, odds);
                }
                if (expected) {
                    Fitting.expectedCost(run, hazard);
                }
                long t2 = System.nanoTime();
                nanos[0] += t1 - t0;
                nanos[4] += tunedAt - t1;
                nanos[1] += t2 - tunedAt;
                for (int p = 0; p < points.size(); p++) {
                    long a = System.nanoTime();
                    Decisions.decide(points.get(p), run, awake, scheduler);
                    long b = System.nanoTime();
                    Accounting.score(run, awake, tallies[p]);
                    nanos[2] += b - a;
                    nanos[3] += System.nanoTime() - b;
                }
            }
        }
    }
}
