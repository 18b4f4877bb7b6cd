package io.dormouse.snapshot;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local files known to hold a VM's newest committed version byte for byte: the files that
 * commit just read, as long as nobody changed them since. The next commit compares against them
 * instead of hashing unchanged blocks. Known only to this process.
 */
final class LocalCopies {

    private record Copy(long version, Map<String, FileStamp> parts) {
    }

    private final Map<Long, Copy> copies = new ConcurrentHashMap<>();

    void remember(long vm, long version, Map<String, FileStamp> parts) {
        copies.put(vm, new Copy(version, Map.copyOf(parts)));
    }

    void forget(long vm) {
        copies.remove(vm);
    }

    /** A deleted version's number may come back for another version: its copy must not outlive it. */
    void forget(long vm, long version) {
        copies.computeIfPresent(vm, (v, copy) -> copy.version == version ? null : copy);
    }

    boolean has(long vm, long version) {
        Copy copy = copies.get(vm);
        return copy != null && copy.version == version;
    }

    /** The stamp of the file holding {@code part} of that version, if it still holds it. */
    Optional<FileStamp> find(long vm, long version, String part) {
        Copy copy = copies.get(vm);
        if (copy == null || copy.version != version) {
            return Optional.empty();
        }
        return Optional.ofNullable(copy.parts.get(part)).filter(FileStamp::unchanged);
    }
}
