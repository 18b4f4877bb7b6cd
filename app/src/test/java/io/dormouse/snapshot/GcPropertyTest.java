package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.blob.FileBlobStore;
import io.dormouse.hypervisor.SavedState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of commit, delete, reopen and garbage collection (with no grace period, the
 * harshest setting) never lose a chunk that a retained version needs: after every step each
 * version the store still lists verifies and comes back byte for byte.
 */
class GcPropertyTest {

    private static final int PAGE = 4096;
    private static final int PAGES = 48;

    @TempDir
    Path dir;

    static List<Long> seeds() {
        return List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void noRetainedVersionEverLosesAChunk(long seed) throws Exception {
        Random random = new Random(seed);
        Path root = dir.resolve("store");
        // every pack is older than any cutoff: grace never protects anything
        InstantSource clock = () -> Instant.now().plus(Duration.ofHours(1));
        SnapshotSettings settings = new SnapshotSettings(PAGE, 1 << 20, true, dir.resolve("key"), dir.resolve("index"));
        FileBlobStore blobs = FileBlobStore.open(root);
        SnapshotStore store = SnapshotStore.open(blobs, settings, clock);
        Map<Long, byte[]> images = new HashMap<>();
        Map<Long, TreeMap<Long, byte[]>> expected = new HashMap<>();
        byte[] base = new byte[PAGES * PAGE];
        random.nextBytes(base);
        List<String> steps = new ArrayList<>();
        for (int step = 0; step < 30; step++) {
            int op = random.nextInt(10);
            long vm = 1 + random.nextInt(3);
            if (op < 5) {
                byte[] image = images.computeIfAbsent(vm, v -> base.clone());
                mutate(image, images, random);
                Path file = Files.write(dir.resolve("ram-" + vm), image);
                TreeMap<Long, byte[]> versions = expected.computeIfAbsent(vm, v -> new TreeMap<>());
                OptionalLong parent = versions.isEmpty() || random.nextBoolean()
                        ? OptionalLong.empty() : OptionalLong.of(versions.lastKey());
                Version v = store.commit(vm, new SavedState(List.of(new SavedState.Part("ram", file,
                        SavedState.Layout.PAGE_ALIGNED, image.length)), "9.2.0", "m", Duration.ZERO), parent);
                versions.put(v.number(), image.clone());
                steps.add("commit " + vm + "/" + v.number());
            } else if (op < 7) {
                TreeMap<Long, byte[]> versions = expected.get(vm);
                if (versions != null && !versions.isEmpty()) {
                    long victim = new ArrayList<>(versions.keySet()).get(random.nextInt(versions.size()));
                    assertThat(store.delete(vm, victim)).isTrue();
                    versions.remove(victim);
                    steps.add("delete " + vm + "/" + victim);
                }
            } else if (op < 9) {
                Retention retention = new Retention(1 + random.nextInt(3), 0, 0);
                GcReport report = store.gc(retention, Duration.ZERO);
                for (Version gone : report.deletedVersions()) {
                    assertThat(expected.get(gone.vm()).remove(gone.number())).isNotNull();
                }
                steps.add("gc keep " + retention.keepLast() + " -> " + report);
            } else {
                store = SnapshotStore.open(blobs, settings, clock);
                steps.add("reopen");
            }
            check(store, expected, step, steps);
        }
    }

    /** Rewrites a few pages: new random bytes, or a page copied from another VM so chunks are shared. */
    private static void mutate(byte[] image, Map<Long, byte[]> images, Random random) {
        int changes = 1 + random.nextInt(6);
        for (int i = 0; i < changes; i++) {
            int page = random.nextInt(PAGES);
            List<byte[]> others = new ArrayList<>(images.values());
            if (random.nextBoolean() && !others.isEmpty()) {
                byte[] other = others.get(random.nextInt(others.size()));
                int from = random.nextInt(PAGES);
                System.arraycopy(other, from * PAGE, image, page * PAGE, PAGE);
            } else {
                byte[] fresh = new byte[PAGE];
                if (random.nextInt(4) > 0) {
                    random.nextBytes(fresh);
                }
                System.arraycopy(fresh, 0, image, page * PAGE, PAGE);
            }
        }
    }

    private void check(SnapshotStore store, Map<Long, TreeMap<Long, byte[]>> expected, int step, List<String> steps)
            throws Exception {
        for (Map.Entry<Long, TreeMap<Long, byte[]>> vm : expected.entrySet()) {
            assertThat(store.versions(vm.getKey())).extracting(Version::number).as("after %s", steps)
                    .containsExactlyElementsOf(vm.getValue().keySet());
            for (Map.Entry<Long, byte[]> version : vm.getValue().entrySet()) {
                Path target = dir.resolve("check-" + step + "-" + vm.getKey() + "-" + version.getKey());
                SavedState back = store.materialize(vm.getKey(), version.getKey(), target);
                assertThat(Files.readAllBytes(back.parts().getFirst().file()))
                        .as("VM %d version %d after %s", vm.getKey(), version.getKey(), steps)
                        .isEqualTo(version.getValue());
                Files.delete(back.parts().getFirst().file());
            }
        }
    }
}
