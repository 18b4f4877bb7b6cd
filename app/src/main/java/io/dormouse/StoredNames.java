package io.dormouse;

import io.dormouse.dns.Names;
import io.dormouse.dns.VmEntry;
import io.dormouse.dns.VmStateRecord;
import io.dormouse.state.StateStore;
import io.dormouse.state.VmRecord;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS server's view of the fleet, read from the state database every second into memory, so
 * that a query never touches the database. Stands in until the VM manager's {@code Fleet} exists.
 */
final class StoredNames implements Names, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoredNames.class);
    private static final Duration REFRESH = Duration.ofSeconds(1);

    private final StateStore store;
    private final Thread refresher;
    private volatile Map<String, VmEntry> entries = Map.of();

    StoredNames(StateStore store) {
        this.store = store;
        refresh();
        refresher = Thread.ofVirtual().name("dns-names").start(this::loop);
    }

    @Override
    public Optional<VmEntry> lookup(String vmName) {
        return Optional.ofNullable(entries.get(vmName));
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(REFRESH);
                refresh();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).log("refreshing the DNS view of the fleet failed; answering from the last view");
            }
        }
    }

    private void refresh() {
        Map<String, VmEntry> next = new HashMap<>();
        for (VmRecord vm : store.vms().list()) {
            entry(vm).ifPresent(e -> next.put(vm.name(), e));
        }
        entries = Map.copyOf(next);
    }

    private static Optional<VmEntry> entry(VmRecord vm) {
        VmStateRecord facts = new VmStateRecord(0, "", null, Duration.ZERO, 0, 0, 0, vm.priority());
        Optional<Inet4Address> address = ipv4(vm.address());
        Optional<Inet4Address> front = ipv4(vm.frontAddress());
        return switch (vm.state()) {
            case "running" -> address.map(a -> new VmEntry.Running(a, facts));
            case "hibernated" -> front.map(f -> new VmEntry.Hibernated(f, facts));
            case "restoring" -> front.map(f -> new VmEntry.Waking(f, facts));
            case "failed" -> Optional.of(new VmEntry.Failed("the VM failed; see 'dormouse vm show " + vm.name() + "'", facts));
            default -> Optional.empty();
        };
    }

    private static Optional<Inet4Address> ipv4(String text) {
        try {
            return text == null || text.isBlank() ? Optional.empty()
                    : InetAddress.ofLiteral(text) instanceof Inet4Address v4 ? Optional.of(v4) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        refresher.interrupt();
    }
}
