package io.dormouse.vm;

import io.dormouse.hypervisor.SavedState;
import io.dormouse.snapshot.SnapshotStore;
import java.nio.file.Path;

/**
 * Where a restore gets the files of a snapshot version: materialized from the store into the restore's
 * own run directory ({@link #direct}), or through the local cache of materialized versions ({@link CachedVersions}).
 */
public interface VersionFiles {

    /**
     * The version's state as local files. The hypervisor only reads them ({@code Hypervisor.restore}), so
     * files shared between restores stay as saved.
     *
     * @param runDir a directory of this restore's own, for files that need not outlive it
     */
    SavedState materialize(long vm, long version, Path runDir);

    /** The restore that asked for the VM's files has ended, started or not: they may be evicted. */
    default void released(long vm) {
    }

    /** The VM has a newer version, or is gone: files held for its older versions are stale. */
    default void forget(long vm) {
    }

    /** Each restore materializes its version into its run directory: nothing is kept. */
    static VersionFiles direct(SnapshotStore store) {
        return (vm, version, runDir) -> store.materialize(vm, version, runDir);
    }
}
