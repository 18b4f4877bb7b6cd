package io.dormouse.snapshot;

import io.dormouse.hypervisor.SavedState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Materialized versions kept on local disk so that a wake need not fetch its state again, up to a
 * size limit. When room is needed, the versions of the VMs expected to wake last go first (a VM
 * with no expected wake counts as waking last), as told by the caller's {@link WakeHints}.
 * The files are the cache's: a restore that writes into them (a RAM file mapped shared) copies them first.
 */
public final class RestoreCache {

    /** When each VM is next expected to wake, for instance from its forecast. */
    @FunctionalInterface
    public interface WakeHints {
        WakeHints NONE = vm -> Optional.empty();

        Optional<Instant> nextWake(long vm);
    }

    private record Key(long vm, long version) {
    }

    private record Entry(Path dir, SavedState state, long bytes) {
    }

    private final Path root;
    private final long maxBytes;
    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private long bytes;

    private RestoreCache(Path root, long maxBytes) {
        this.root = root;
        this.maxBytes = maxBytes;
    }

    /**
     * Opens the cache in {@code root}, removing what an earlier process left there: entries are
     * known only to the process that made them.
     *
     * @param maxBytes bytes of parts the cache may hold; 0 keeps nothing
     */
    public static RestoreCache open(Path root, long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be 0 or more, got " + maxBytes);
        }
        try {
            if (Files.exists(root)) {
                deleteTree(root);
            }
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new SnapshotException(SnapshotException.Kind.FAILED, "cannot prepare the snapshot cache " + root
                    + " (" + e + ")", e);
        }
        return new RestoreCache(root, maxBytes);
    }

    /**
     * The version's state from the cache, or materialized from {@code store} into it, evicting by
     * {@code hints} to stay within the limit. A version larger than the whole cache is materialized
     * all the same and dropped at the next eviction.
     */
    public synchronized SavedState materialize(SnapshotStore store, long vm, long version, WakeHints hints,
                                               Progress progress) {
        Key key = new Key(vm, version);
        Entry hit = entries.get(key);
        if (hit != null) {
            return hit.state();
        }
        long needed = store.versions(vm).stream().filter(v -> v.number() == version).mapToLong(Version::totalBytes)
                .findFirst().orElse(0);
        evict(hints, Math.max(0, maxBytes - needed), key);
        Path partial = root.resolve(".partial-" + vm + "-" + version);
        Path dir = root.resolve(vm + "-" + version);
        try {
            SavedState state = store.materialize(vm, version, partial, progress);
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            List<SavedState.Part> parts = state.parts().stream()
                    .map(p -> new SavedState.Part(p.name(), dir.resolve(p.name()), p.layout(), p.size())).toList();
            SavedState moved = new SavedState(parts, state.qemuVersion(), state.machineFingerprint(), state.pausedFor());
            entries.put(key, new Entry(dir, moved, moved.totalBytes()));
            bytes += moved.totalBytes();
            evict(hints, maxBytes, key);
            return moved;
        } catch (IOException e) {
            throw new SnapshotException(SnapshotException.Kind.FAILED, "caching VM " + vm + " version " + version
                    + " in " + root + " failed (" + e + ")", e);
        } finally {
            try {
                if (Files.exists(partial)) {
                    deleteTree(partial);
                }
            } catch (IOException ignored) {
                // the failure being reported, if any, matters more than a leftover the next open removes
            }
        }
    }

    /** Drops every cached version of the VM, for instance once it runs again or its versions changed. */
    public synchronized void drop(long vm) {
        for (Key key : List.copyOf(entries.keySet())) {
            if (key.vm() == vm) {
                remove(key);
            }
        }
    }

    /** Bytes of parts the cache may hold; 0 when it keeps nothing. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Bytes of parts held now. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Whether the version is held. */
    public synchronized boolean holds(long vm, long version) {
        return entries.containsKey(new Key(vm, version));
    }

    private void evict(WakeHints hints, long limit, Key spare) {
        if (bytes <= limit) {
            return;
        }
        Comparator<Key> wakesLast = Comparator.comparing(
                (Key k) -> hints.nextWake(k.vm()).orElse(Instant.MAX)).reversed();
        List<Key> order = new ArrayList<>(entries.keySet());
        order.sort(wakesLast);
        for (Key key : order) {
            if (bytes <= limit) {
                return;
            }
            if (!key.equals(spare)) {
                remove(key);
            }
        }
    }

    private void remove(Key key) {
        Entry entry = entries.remove(key);
        bytes -= entry.bytes();
        try {
            deleteTree(entry.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + entry.dir() + " from the snapshot cache", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
