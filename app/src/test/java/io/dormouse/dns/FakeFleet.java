package io.dormouse.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake fleet for tests only: VM entries in a map, and a waker whose restores finish when the test
 * says so (or after a fixed delay). It stands in for the VM manager, which does not exist yet; like the
 * real one it keeps one restore per VM however many wake calls arrive, and counts the calls.
 */
final class FakeFleet implements Names, Waker {

    static final VmStateRecord STATE = new VmStateRecord(7, "file:///var/lib/dormouse/packs", Instant.parse(
            "2026-11-22T06:00:00Z"), Duration.ofMillis(850), 2, 2048, 100, 5);

    private final ConcurrentHashMap<String, VmEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<WakeResult>> restores = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Inet4Address> wakeAddresses = new ConcurrentHashMap<>();
    private final Duration restoreTime;

    /** Restores finish only through {@link #finish} or {@link #fail}. */
    FakeFleet() {
        this(null);
    }

    /** Restores finish by themselves after {@code restoreTime}, answering the address given by {@link #wakesAt}. */
    FakeFleet(Duration restoreTime) {
        this.restoreTime = restoreTime;
    }

    FakeFleet running(String name, String address) {
        entries.put(name, new VmEntry.Running(v4(address), STATE));
        return this;
    }

    FakeFleet hibernated(String name, String frontAddress) {
        entries.put(name, new VmEntry.Hibernated(v4(frontAddress), STATE));
        return this;
    }

    /** A running VM whose {@code _vmstate} facts are {@code state}. */
    FakeFleet running(String name, String address, VmStateRecord state) {
        entries.put(name, new VmEntry.Running(v4(address), state));
        return this;
    }

    FakeFleet failed(String name, String reason) {
        entries.put(name, new VmEntry.Failed(reason, STATE));
        return this;
    }

    /** Where {@code name} will run once a timed restore ends. */
    FakeFleet wakesAt(String name, String address) {
        wakeAddresses.put(name, v4(address));
        return this;
    }

    @Override
    public Optional<VmEntry> lookup(String vmName) {
        return Optional.ofNullable(entries.get(vmName));
    }

    private final ConcurrentHashMap<String, AtomicInteger> queried = new ConcurrentHashMap<>();

    @Override
    public void queried(String vmName, InetAddress client) {
        queried.computeIfAbsent(vmName, n -> new AtomicInteger()).incrementAndGet();
    }

    /** How many queries for the VM's name the server reported. */
    int queriesFor(String vmName) {
        AtomicInteger n = queried.get(vmName);
        return n == null ? 0 : n.get();
    }

    @Override
    public CompletableFuture<WakeResult> wake(String vmName) {
        calls.computeIfAbsent(vmName, n -> new AtomicInteger()).incrementAndGet();
        return restores.computeIfAbsent(vmName, n -> {
            CompletableFuture<WakeResult> restore = new CompletableFuture<>();
            Duration delay = restoreTime;
            Inet4Address to = wakeAddresses.get(n);
            if (delay != null && to != null) {
                CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS)
                        .execute(() -> finish(n, to.getHostAddress()));
            }
            return restore;
        });
    }

    /** Ends the restore of {@code name}: it now runs at {@code address}. */
    void finish(String name, String address) {
        entries.put(name, new VmEntry.Running(v4(address), STATE));
        CompletableFuture<WakeResult> restore = restores.remove(name);
        if (restore != null) {
            restore.complete(new WakeResult.Ready(v4(address)));
        }
    }

    void fail(String name, String reason) {
        CompletableFuture<WakeResult> restore = restores.remove(name);
        if (restore != null) {
            restore.complete(new WakeResult.Failed(reason));
        }
    }

    int wakeCalls(String name) {
        AtomicInteger n = calls.get(name);
        return n == null ? 0 : n.get();
    }

    static Inet4Address v4(String address) {
        try {
            return (Inet4Address) InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
