package io.dormouse.front;

import java.net.Inet4Address;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** VMs the test sets directly, and a wake the test completes when it likes. */
final class FakeBackends implements Backends {

    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    final AtomicInteger wakes = new AtomicInteger();
    final AtomicInteger touches = new AtomicInteger();
    volatile CompletableFuture<Inet4Address> wake = new CompletableFuture<>();

    void put(Target target) {
        targets.put(target.vm(), target);
    }

    void remove(String vm) {
        targets.remove(vm);
    }

    @Override
    public List<Target> targets() {
        return List.copyOf(targets.values());
    }

    @Override
    public Optional<Target> find(String vm) {
        return Optional.ofNullable(targets.get(vm));
    }

    @Override
    public CompletableFuture<Inet4Address> wake(String vm) {
        wakes.incrementAndGet();
        return wake.copy();
    }

    @Override
    public void touch(String vm) {
        touches.incrementAndGet();
    }
}
