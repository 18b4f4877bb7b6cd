package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.blob.FileBlobStore;
import io.dormouse.hypervisor.SavedState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local cache of materialized versions: hits, the size limit, and eviction by expected wake time. */
class RestoreCacheTest {

    private static final int PAGES = 64;
    private static final long IMAGE = (long) PAGES * GuestImages.PAGE;

    @TempDir
    Path dir;

    private FileBlobStore blobs;
    private SnapshotStore store;
    private final Map<Long, Instant> wakes = new HashMap<>();
    private final RestoreCache.WakeHints hints = vm -> Optional.ofNullable(wakes.get(vm));

    @BeforeEach
    void open() {
        blobs = FileBlobStore.open(dir.resolve("store"));
        store = SnapshotStore.open(blobs, new SnapshotSettings(16 << 10, 1 << 20, true, dir.resolve("key"), null),
                InstantSource.system());
    }

    @AfterEach
    void close() {
        blobs.close();
    }

    private Path commit(long vm) throws Exception {
        Path ram = GuestImages.ram(Files.createDirectories(dir.resolve("src-" + vm)).resolve("ram"), PAGES, vm);
        store.commit(vm, new SavedState(List.of(new SavedState.Part("ram", ram, SavedState.Layout.PAGE_ALIGNED, IMAGE)),
                "9.2.0", "m", Duration.ZERO), OptionalLong.empty());
        return ram;
    }

    @Test
    void aCachedVersionIsServedFromDiskWithTheSameBytes() throws Exception {
        Path ram = commit(1);
        RestoreCache cache = RestoreCache.open(dir.resolve("cache"), 10 * IMAGE);

        SavedState first = cache.materialize(store, 1, 1, hints, Progress.NONE);
        blobs.list("packs/").forEach(p -> blobs.delete(p.key()));
        SavedState again = cache.materialize(store, 1, 1, hints, Progress.NONE);

        assertThat(again).isEqualTo(first);
        assertThat(Files.mismatch(again.parts().getFirst().file(), ram)).isEqualTo(-1L);
        assertThat(cache.bytes()).isEqualTo(IMAGE);
    }

    @Test
    void theVmsExpectedToWakeLastAreEvictedFirst() throws Exception {
        for (long vm = 1; vm <= 4; vm++) {
            commit(vm);
        }
        Instant now = Instant.parse("2026-11-22T08:00:00Z");
        wakes.put(1L, now.plusSeconds(60));
        wakes.put(2L, now.plusSeconds(86_400));
        wakes.put(3L, now.plusSeconds(600));
        RestoreCache cache = RestoreCache.open(dir.resolve("cache"), 3 * IMAGE);
        for (long vm = 1; vm <= 3; vm++) {
            cache.materialize(store, vm, 1, hints, Progress.NONE);
        }

        wakes.put(4L, now.plusSeconds(30));
        cache.materialize(store, 4, 1, hints, Progress.NONE);

        assertThat(cache.holds(2, 1)).as("VM 2 wakes last").isFalse();
        assertThat(cache.holds(1, 1) && cache.holds(3, 1) && cache.holds(4, 1)).isTrue();
        assertThat(cache.bytes()).isLessThanOrEqualTo(3 * IMAGE);
        try (var files = Files.list(dir.resolve("cache"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("1-1", "3-1", "4-1");
        }
    }

    @Test
    void aVmWithNoExpectedWakeGoesBeforeOneThatHasOne() throws Exception {
        commit(1);
        commit(2);
        commit(3);
        wakes.put(1L, Instant.parse("2030-01-01T00:00:00Z"));
        RestoreCache cache = RestoreCache.open(dir.resolve("cache"), 2 * IMAGE);
        cache.materialize(store, 1, 1, hints, Progress.NONE);
        cache.materialize(store, 2, 1, hints, Progress.NONE);

        cache.materialize(store, 3, 1, hints, Progress.NONE);

        assertThat(cache.holds(1, 1)).isTrue();
        assertThat(cache.holds(2, 1)).isFalse();
        assertThat(cache.holds(3, 1)).isTrue();
    }

    @Test
    void droppingAVmFreesItsSpaceAndReopeningStartsEmpty() throws Exception {
        commit(1);
        RestoreCache cache = RestoreCache.open(dir.resolve("cache"), 10 * IMAGE);
        cache.materialize(store, 1, 1, hints, Progress.NONE);

        cache.drop(1);

        assertThat(cache.bytes()).isZero();
        cache.materialize(store, 1, 1, hints, Progress.NONE);
        RestoreCache reopened = RestoreCache.open(dir.resolve("cache"), 10 * IMAGE);
        assertThat(reopened.holds(1, 1)).isFalse();
        try (var files = Files.list(dir.resolve("cache"))) {
            assertThat(files).isEmpty();
        }
    }
}
