package io.dormouse.sim;

/**
 * Scores one VM's decisions against its demand, step by step, with the latency model's draws. A
 * step's first request arrives at its drawn offset: at a hibernated VM it waits for a whole restore,
 * at a VM still hibernating for the rest of that and a restore, at a VM woken at this step's boundary
 * for what is left of the restore. Time spent restoring or hibernating counts as awake.
 */
final class Accounting {

    private static final long STEP_MS = Trace.STEP.toMillis();

    private Accounting() {
    }

    static void score(VmRun run, boolean[] awake, Tally tally) {
        boolean wasAwake = awake[run.from];
        int openWake = -1;
        tally.vms++;
        for (int t = run.from; t < run.steps; t++) {
            boolean up = awake[t];
            boolean demand = run.requests[t] > 0;
            double arrival = run.arrivalMs[t];
            double awakeMs;
            double added = 0;
            boolean cold = false;
            if (up) {
                awakeMs = STEP_MS;
                if (!wasAwake) {
                    tally.wakes++;
                    tally.proactiveWakes++;
                    openWake = t;
                }
                if (demand) {
                    boolean woke = !wasAwake;
                    if (woke && arrival < run.restoreMs[t]) {
                        cold = true;
                        added = run.restoreMs[t] - arrival;
                    } else if (openWake >= 0) {
                        tally.addLead((t - openWake) * (double) STEP_MS + arrival);
                    }
                    openWake = -1;
                }
            } else {
                double hibernating = 0;
                if (wasAwake) {
                    tally.hibernations++;
                    hibernating = Math.min(STEP_MS, run.hibernateMs[t]);
                    if (openWake >= 0) {
                        tally.wastedWakes++;
                        openWake = -1;
                    }
                }
                awakeMs = hibernating;
                if (demand) {
                    cold = true;
                    tally.wakes++;
                    if (arrival < hibernating) {
                        added = hibernating - arrival + run.restoreMs[t];
                        awakeMs = STEP_MS;
                    } else {
                        added = run.restoreMs[t];
                        awakeMs = hibernating + STEP_MS - arrival;
                    }
                }
            }
            long ms = Math.round(awakeMs);
            tally.awakeMs += ms;
            if (demand) {
                tally.demandSteps++;
                tally.addLatency(added);
                if (cold) {
                    tally.coldStarts++;
                }
            } else {
                tally.idleAwakeMs += ms;
            }
            wasAwake = up || demand;
        }
        tally.scoredSteps += run.steps - run.from;
    }
}
