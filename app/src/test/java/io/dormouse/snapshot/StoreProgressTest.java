package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.blob.FileBlobStore;
import io.dormouse.hypervisor.SavedState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verify and GC report how far they are, growing, and end at their total. */
class StoreProgressTest {

    @TempDir
    Path dir;

    @Test
    void verifyAndGcReportProgressUpToTheirTotal() throws Exception {
        try (FileBlobStore blobs = FileBlobStore.open(dir.resolve("blobs"))) {
            SnapshotStore store = SnapshotStore.open(blobs, new SnapshotSettings(16 << 10, 1 << 20, true,
                    dir.resolve("key"), null), InstantSource.system());
            Path d = Files.createDirectories(dir.resolve("v"));
            SavedState state = GuestImages.state(GuestImages.ram(d.resolve("ram.img"), 1024, 1),
                    GuestImages.stream(d.resolve("devices.bin"), 50_000, 1), GuestImages.ram(d.resolve("disk0.img"), 64, 2));
            store.commit(3, state, OptionalLong.empty());
            store.commit(3, GuestImages.state(GuestImages.ram(d.resolve("ram.img"), 1024, 5), state.parts().get(1).file(),
                    state.parts().get(2).file()), OptionalLong.of(1));
            List<long[]> verified = new ArrayList<>();
            List<long[]> collected = new ArrayList<>();

            store.verify(3, 1, (done, total) -> verified.add(new long[] {done, total}));
            store.gc(new Retention(1, 0, 0), Duration.ZERO, (done, total) -> collected.add(new long[] {done, total}));

            assertThat(verified.getLast()).containsExactly(state.totalBytes(), state.totalBytes());
            assertThat(collected.getLast()[0]).isEqualTo(collected.getLast()[1]).isPositive();
            for (List<long[]> updates : List.of(verified, collected)) {
                for (int i = 1; i < updates.size(); i++) {
                    assertThat(updates.get(i)[0]).isGreaterThanOrEqualTo(updates.get(i - 1)[0]);
                    assertThat(updates.get(i)[0]).isLessThanOrEqualTo(updates.get(i)[1]);
                }
            }
        }
    }
}
