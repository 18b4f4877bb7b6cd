package io.dormouse.vm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a clean server stop does with the VMs that run ({@code vm.on-stop}): hibernate them, so that they
 * wake later with their memory; stop them; or leave them to the next start, which settles them at their
 * last committed version.
 */
public final class ServerStop {

    private static final Logger LOG = LoggerFactory.getLogger(ServerStop.class);

    /** The choices of {@code vm.on-stop}. */
    public enum Action {
        HIBERNATE,
        STOP,
        LEAVE;

        /** @throws IllegalArgumentException naming the allowed values */
        public static Action of(String label) {
            for (Action a : values()) {
                if (a.name().equalsIgnoreCase(label)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("on-stop must be one of hibernate, stop, leave, got '" + label + "'");
        }
    }

    private ServerStop() {
    }

    /**
     * Lets the transitions under way end, then applies {@code action} to every running VM at once, all
     * within {@code timeout}. Returns what became of each VM it touched, by name.
     */
    public static Map<String, String> run(Fleet fleet, Lifecycle lifecycle, Action action, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> outcome = new LinkedHashMap<>();
        if (action == Action.LEAVE) {
            return outcome;
        }
        awaitQuiet(fleet, deadline);
        Map<String, Lifecycle.Pending> pending = new LinkedHashMap<>();
        for (Vm vm : fleet.list()) {
            if (vm.state() instanceof VmState.Running) {
                try {
                    pending.put(vm.name(), action == Action.HIBERNATE ? lifecycle.hibernate(vm.name(), Reason.SHUTDOWN)
                            : lifecycle.stop(vm.name(), Reason.SHUTDOWN));
                } catch (VmException e) {
                    outcome.put(vm.name(), "not " + verb(action) + ": " + e.getMessage());
                }
            }
        }
        for (Map.Entry<String, Lifecycle.Pending> p : pending.entrySet()) {
            try {
                Vm done = p.getValue().done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                outcome.put(p.getKey(), done.state().label());
            } catch (TimeoutException e) {
                outcome.put(p.getKey(), "not " + verb(action) + " within " + timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome.put(p.getKey(), "interrupted");
            } catch (ExecutionException e) {
                outcome.put(p.getKey(), "failed: " + e.getCause().getMessage());
            }
        }
        outcome.forEach((vm, what) -> LOG.atInfo().addKeyValue("vm", vm).addKeyValue("reason", Reason.SHUTDOWN.label())
                .log("server stop: " + what));
        return outcome;
    }

    private static void awaitQuiet(Fleet fleet, long deadline) {
        List<String> busy = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            busy = fleet.list().stream().filter(vm -> vm.state().inTransition()).map(Vm::name).toList();
            if (busy.isEmpty()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.atWarn().log("server stop: transitions of " + busy + " still under way");
    }

    private static String verb(Action action) {
        return action.name().toLowerCase(Locale.ROOT) + (action == Action.STOP ? "ped" : "d");
    }
}
