package io.dormouse.alloc;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room on the hosts for VMs: best-fit placement with admission control, a restore queue ordered by SLA
 * class, then priority, then waiting time, and optional preemption of idle, lower-priority VMs. Every
 * decision is logged with its reason.
 */
public final class Allocator {

    private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);

    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, Claim> claims = new HashMap<>();
    private final PriorityQueue<Waiter> queue;
    private final boolean preemption;
    private final Predicate<String> idle;
    private final InstantSource clock;
    private long arrivals;

    /** What one VM holds on a host; {@code reserved} while the VM sleeps and keeps its room. */
    private record Claim(Demand demand, String host, boolean reserved) {
    }

    private record Waiter(Demand demand, Instant since, long arrival, CompletableFuture<Placement.Placed> placed) {
    }

    /**
     * @param preemption whether a demand may hibernate idle VMs of lower priority to make room
     * @param idle       whether a running VM is idle enough to be preempted
     */
    public Allocator(List<Host> hosts, boolean preemption, Predicate<String> idle, InstantSource clock) {
        hosts.forEach(h -> this.hosts.put(h.name(), h));
        this.preemption = preemption;
        this.idle = idle;
        this.clock = clock;
        this.queue = new PriorityQueue<>(Comparator.<Waiter>comparingInt(w -> w.demand.slaClass().rank())
                .thenComparing(Comparator.<Waiter>comparingInt(w -> w.demand.priority()).reversed())
                .thenComparing(Waiter::since)
                .thenComparingLong(Waiter::arrival));
    }

    public synchronized void addHost(Host host) {
        hosts.put(host.name(), host);
        drain();
    }

    /**
     * Finds room for {@code demand}: on the host it already holds room on, else the host it fits best.
     *
     * @throws AllocException when no host could ever hold it (admission control)
     */
    public synchronized Placement admit(Demand demand) {
        Claim held = claims.get(demand.vm());
        if (held != null) {
            claims.put(demand.vm(), new Claim(demand, held.host, false));
            log("placed", demand, held.host, "it kept its room on the host");
            return new Placement.Placed(held.host);
        }
        check(demand.vm(), demand.needs());
        boolean ahead = queue.stream().anyMatch(w -> queue.comparator().compare(w, waiter(demand, null)) < 0);
        Optional<String> host = ahead ? Optional.empty() : bestFit(demand.needs());
        if (host.isPresent()) {
            claims.put(demand.vm(), new Claim(demand, host.get(), false));
            log("placed", demand, host.get(), "best fit: least room left over");
            return new Placement.Placed(host.get());
        }
        if (preemption) {
            Optional<Placement.Preempt> preempt = victims(demand);
            if (preempt.isPresent()) {
                log("preempt", demand, preempt.get().host(), "hibernating idle VMs of lower priority "
                        + preempt.get().victims());
                return preempt.get();
            }
        }
        Waiter waiter = waiter(demand, new CompletableFuture<>());
        queue.add(waiter);
        int position = (int) queue.stream().filter(w -> queue.comparator().compare(w, waiter) <= 0).count();
        log("queued", demand, null, ahead ? "demands of higher rank wait before it" : "no host has room");
        return new Placement.Queued(position, waiter.placed);
    }

    /**
     * Admission control: refuses needs that no host could ever hold, whatever runs now.
     *
     * @throws AllocException naming the needs and every host's capacity
     */
    public synchronized void check(String vm, Resources needs) {
        if (hosts.values().stream().noneMatch(h -> h.capacity().holds(needs, h.capacity()))) {
            String why = "VM " + vm + " needs " + needs + ", more than any host has ("
                    + hosts.values().stream().map(h -> h.name() + ": " + h.capacity()).toList() + ")";
            LOG.atInfo().addKeyValue("vm", vm).addKeyValue("decision", "refused").log(why);
            throw new AllocException(why);
        }
    }

    /** Frees the VM's room, then serves the restore queue in order. */
    public synchronized void release(String vm) {
        if (claims.remove(vm) != null) {
            LOG.atDebug().addKeyValue("vm", vm).log("room released");
            drain();
        }
    }

    /** Keeps the VM's room while it sleeps, so that its restore never waits for room. */
    public synchronized void reserve(String vm) {
        claims.computeIfPresent(vm, (k, c) -> new Claim(c.demand, c.host, true));
    }

    /**
     * Keeps room for a sleeping VM whose policy reserves it, found at start-up: best fit, never queued and
     * never preempting; empty when no host has room left (its restore then goes through placement).
     */
    public synchronized Optional<String> reserveSleeping(Demand demand) {
        Claim held = claims.get(demand.vm());
        if (held != null) {
            return Optional.of(held.host);
        }
        Optional<String> host = bestFit(demand.needs());
        host.ifPresentOrElse(h -> {
            claims.put(demand.vm(), new Claim(demand, h, true));
            log("reserved", demand, h, "its policy keeps room while it sleeps");
        }, () -> log("not reserved", demand, null, "no host has room left for a sleeping VM's reservation"));
        return host;
    }

    /** Records room a VM already holds (a running VM found at start-up); no admission check. */
    public synchronized void adopt(Demand demand, String host, boolean reserved) {
        claims.put(demand.vm(), new Claim(demand, host, reserved));
    }

    /** Gives up waiting for room; the queued future completes exceptionally. */
    public synchronized void cancel(String vm) {
        queue.removeIf(w -> {
            if (w.demand.vm().equals(vm)) {
                w.placed.completeExceptionally(new AllocException("the wait for room for VM " + vm + " was cancelled"));
                return true;
            }
            return false;
        });
    }

    public synchronized int queueDepth() {
        return queue.size();
    }

    /** Room held by VMs that run or are being started. */
    public synchronized Resources used() {
        return sum(false);
    }

    /** Room kept for sleeping VMs. */
    public synchronized Resources reserved() {
        return sum(true);
    }

    public synchronized List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    /** Room still free on {@code host}. */
    public synchronized Resources free(String host) {
        Host h = hosts.get(host);
        if (h == null) {
            return Resources.NONE;
        }
        Resources used = claims.values().stream().filter(c -> c.host.equals(host))
                .map(c -> c.demand.needs()).reduce(Resources.NONE, Resources::plus);
        return h.capacity().minus(used);
    }

    private Resources sum(boolean reserved) {
        return claims.values().stream().filter(c -> c.reserved == reserved).map(c -> c.demand.needs())
                .reduce(Resources.NONE, Resources::plus);
    }

    private Waiter waiter(Demand demand, CompletableFuture<Placement.Placed> placed) {
        return new Waiter(demand, clock.instant(), arrivals++, placed);
    }

    private Optional<String> bestFit(Resources needs) {
        String best = null;
        long leftOver = Long.MAX_VALUE;
        for (Host h : hosts.values()) {
            Resources free = free(h.name());
            if (free.holds(needs, h.capacity()) && free.memoryMib() - needs.memoryMib() < leftOver) {
                best = h.name();
                leftOver = free.memoryMib() - needs.memoryMib();
            }
        }
        return Optional.ofNullable(best);
    }

    private Optional<Placement.Preempt> victims(Demand demand) {
        for (Host h : hosts.values()) {
            List<Claim> candidates = claims.values().stream()
                    .filter(c -> c.host.equals(h.name()) && !c.reserved && c.demand.priority() < demand.priority()
                            && idle.test(c.demand.vm()))
                    .sorted(Comparator.<Claim>comparingInt(c -> c.demand.priority())
                            .thenComparing(c -> -c.demand.slaClass().rank()))
                    .toList();
            Resources free = free(h.name());
            List<String> chosen = new ArrayList<>();
            for (Claim c : candidates) {
                if (free.holds(demand.needs(), h.capacity())) {
                    break;
                }
                chosen.add(c.demand.vm());
                free = free.plus(c.demand.needs());
            }
            if (!chosen.isEmpty() && free.holds(demand.needs(), h.capacity())) {
                return Optional.of(new Placement.Preempt(h.name(), chosen));
            }
        }
        return Optional.empty();
    }

    private void drain() {
        while (!queue.isEmpty()) {
            Waiter head = queue.peek();
            Optional<String> host = bestFit(head.demand.needs());
            if (host.isEmpty()) {
                return;
            }
            queue.poll();
            claims.put(head.demand.vm(), new Claim(head.demand, host.get(), false));
            log("placed", head.demand, host.get(), "first in the restore queue once room freed, after waiting "
                    + Duration.between(head.since, clock.instant()).toMillis() + " ms");
            head.placed.complete(new Placement.Placed(host.get()));
        }
    }

    private static void log(String decision, Demand demand, String host, String reason) {
        LOG.atInfo().addKeyValue("vm", demand.vm()).addKeyValue("decision", decision).addKeyValue("host", host)
                .addKeyValue("sla", demand.slaClass().label()).addKeyValue("priority", demand.priority())
                .addKeyValue("needs", demand.needs()).log(reason);
    }
}
