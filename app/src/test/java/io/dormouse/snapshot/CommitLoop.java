package io.dormouse.snapshot;

import io.dormouse.blob.FileBlobStore;
import io.dormouse.hypervisor.SavedState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.OptionalLong;

/**
 * A process that commits version after version of a changing RAM image until it is killed, for
 * the crash-safety test. Prints {@code open} once the store is open and {@code committed VM/N}
 * after each commit returned. Arguments: STORE_DIR KEY_FILE INDEX_FILE WORK_DIR SEED.
 */
final class CommitLoop {

    private CommitLoop() {
    }

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        Path work = Path.of(args[3]);
        long seed = Long.parseLong(args[4]);
        SnapshotSettings settings = new SnapshotSettings(16 << 10, 1 << 20, true, Path.of(args[1]), Path.of(args[2]));
        try (FileBlobStore blobs = FileBlobStore.open(store)) {
            SnapshotStore snapshots = SnapshotStore.open(blobs, settings, InstantSource.system());
            Path ram = GuestImages.ram(work.resolve("ram-" + seed), 2048, seed);
            Path devices = GuestImages.stream(work.resolve("devices-" + seed), 300_000, seed);
            SavedState state = new SavedState(List.of(
                    new SavedState.Part("ram", ram, SavedState.Layout.PAGE_ALIGNED, 2048L * GuestImages.PAGE),
                    new SavedState.Part("devices", devices, SavedState.Layout.STREAM, 300_000)),
                    "9.2.0", "sha256:m", Duration.ZERO);
            System.out.println("open");
            System.out.flush();
            long vm = 1 + seed % 3;
            OptionalLong parent = snapshots.versions(vm).stream().mapToLong(Version::number).max();
            for (int round = 0; ; round++) {
                GuestImages.touchPages(ram, 64, seed * 1000 + round);
                Version v = snapshots.commit(vm, state, parent);
                parent = OptionalLong.of(v.number());
                System.out.println("committed " + vm + "/" + v.number());
                System.out.flush();
            }
        }
    }
}
