package io.dormouse.schedule;

import io.dormouse.alloc.Resources;
import io.dormouse.alloc.SlaClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which of the wakes ahead wanted in one round go now, when room or the wakes allowed at once run short:
 * better SLA class first, then higher priority, then the sooner need; the rest wait for a later round.
 */
final class ProactiveWakes {

    /** A VM the decider wants woken ahead, what it needs, and how soon its demand comes. */
    record Wanted(String vm, SlaClass slaClass, int priority, Resources needs, Duration needIn) {
    }

    /** The wakes to start now, in order, and those deferred, each with why. */
    record Choice(List<Wanted> now, List<Deferred> later) {
    }

    record Deferred(Wanted wake, String why) {
    }

    static final Comparator<Wanted> ORDER = Comparator.comparing(Wanted::slaClass)
            .thenComparing(Comparator.comparingInt(Wanted::priority).reversed())
            .thenComparing(w -> w.needIn() == null ? Duration.ZERO : w.needIn())
            .thenComparing(Wanted::vm);

    private ProactiveWakes() {
    }

    /**
     * @param free  room free on the hosts, summed
     * @param slots wakes that may start now
     */
    static Choice choose(List<Wanted> wanted, Resources free, int slots) {
        List<Wanted> ordered = new ArrayList<>(wanted);
        ordered.sort(ORDER);
        List<Wanted> now = new ArrayList<>();
        List<Deferred> later = new ArrayList<>();
        int vcpus = free.vcpus();
        long memory = free.memoryMib();
        for (Wanted w : ordered) {
            if (now.size() >= slots) {
                later.add(new Deferred(w, "deferred: " + slots + " proactive wakes allowed at once are taken"));
            } else if (w.needs().vcpus() > vcpus || w.needs().memoryMib() > memory) {
                later.add(new Deferred(w, "deferred: needs " + w.needs().vcpus() + " vCPU and " + w.needs().memoryMib()
                        + " MiB, free " + vcpus + " vCPU and " + memory + " MiB after VMs of better class or priority"));
            } else {
                now.add(w);
                vcpus -= w.needs().vcpus();
                memory -= w.needs().memoryMib();
            }
        }
        return new Choice(now, later);
    }
}
