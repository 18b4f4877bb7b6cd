package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.blob.BlobInfo;
import io.dormouse.blob.BlobStore;
import io.dormouse.hypervisor.SavedState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The snapshot store's acceptance criteria that hold on any backend: random images come back
 * byte-identical, k % of pages changed writes about k %, no plaintext reaches the store, and a
 * flipped byte anywhere in a pack or manifest is caught.
 */
abstract class SnapshotAcceptanceContract {

    private static final int PAGE = 4096;
    private static final String MARKER = "dormouse-marker-7f3a9c1e-plaintext";

    @TempDir
    Path dir;

    private final List<BlobStore> opened = new ArrayList<>();

    /** A new blob store with no objects. */
    protected abstract BlobStore newBlobStore() throws Exception;

    @AfterEach
    void close() {
        opened.forEach(BlobStore::close);
    }

    private SnapshotStore open(BlobStore blobs, int blockSize, boolean encryption, String name) {
        opened.add(blobs);
        return SnapshotStore.open(blobs, new SnapshotSettings(blockSize, 1 << 20, encryption, dir.resolve(name + ".key"),
                null), InstantSource.system());
    }

    private static SavedState ram(Path file) throws Exception {
        return new SavedState(List.of(new SavedState.Part("ram", file, SavedState.Layout.PAGE_ALIGNED, Files.size(file))),
                "9.2.0", "sha256:m", Duration.ZERO);
    }

    private static Path randomImage(Path file, int pages, long seed) throws Exception {
        byte[] image = new byte[pages * PAGE];
        new Random(seed).nextBytes(image);
        return Files.write(file, image);
    }

    @Test
    void randomImagesOfAwkwardSizesComeBackByteIdentical() throws Exception {
        SnapshotStore store = open(newBlobStore(), 16 << 10, true, "s");
        Random random = new Random(11);
        for (int i = 0; i < 4; i++) {
            byte[] image = new byte[1 + random.nextInt(3 << 20)];
            random.nextBytes(image);
            // zero runs of random length, so holes start and end inside blocks
            for (int z = 0; z < 5; z++) {
                int from = random.nextInt(image.length);
                Arrays.fill(image, from, Math.min(image.length, from + random.nextInt(200_000)), (byte) 0);
            }
            Path file = Files.write(dir.resolve("img-" + i), image);
            SavedState state = new SavedState(List.of(
                    new SavedState.Part("ram", file, SavedState.Layout.PAGE_ALIGNED, image.length),
                    new SavedState.Part("devices", file, SavedState.Layout.STREAM, image.length)), "9.2.0", "m", Duration.ZERO);
            Version v = store.commit(1, state, OptionalLong.empty());

            SavedState back = store.materialize(1, v.number(), dir.resolve("back-" + i));

            for (SavedState.Part part : back.parts()) {
                assertThat(Files.mismatch(part.file(), file)).as("image %d part %s", i, part.name()).isEqualTo(-1L);
            }
        }
    }

    @ParameterizedTest(name = "{0} % of pages changed")
    @ValueSource(ints = {1, 10})
    void anImageWithKPercentOfItsPagesChangedWritesAboutKPercent(int k) throws Exception {
        // page-sized blocks: with larger blocks each scattered page change costs a whole block
        SnapshotStore store = open(newBlobStore(), PAGE, true, "k" + k);
        int pages = 4096;
        Path image = randomImage(dir.resolve("ram"), pages, k);
        Version first = store.commit(1, ram(image), OptionalLong.empty());
        int changed = pages * k / 100;
        GuestImages.touchPages(image, changed, 100 + k);

        Version second = store.commit(1, ram(image), OptionalLong.of(first.number()));

        double written = 100.0 * second.storedBytes() / first.storedBytes();
        System.out.printf("%d %% of pages changed: second commit wrote %d of %d bytes (%.2f %%)%n", k,
                second.storedBytes(), first.storedBytes(), written);
        assertThat(second.newBytes()).isEqualTo((long) changed * PAGE);
        assertThat(written).isBetween(0.9 * k, 1.1 * k + 0.5);
        assertThat(Files.mismatch(store.materialize(1, 2, dir.resolve("back")).parts().getFirst().file(), image))
                .isEqualTo(-1L);
    }

    @Test
    void aMarkerInGuestMemoryAppearsNowhereInTheStore() throws Exception {
        Path image = randomImage(dir.resolve("ram"), 256, 5);
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = Files.readAllBytes(image);
        for (int page = 0; page < 256; page += 3) {
            // some pages hold only the marker repeated (compressible), some one copy inside random data
            if (page % 2 == 0) {
                for (int i = 0; i + marker.length <= PAGE; i += marker.length) {
                    System.arraycopy(marker, 0, bytes, page * PAGE + i, marker.length);
                }
            } else {
                System.arraycopy(marker, 0, bytes, page * PAGE + 100, marker.length);
            }
        }
        Files.write(image, bytes);
        BlobStore encrypted = newBlobStore();
        open(encrypted, 16 << 10, true, "on").commit(1, ram(image), OptionalLong.empty());
        BlobStore plain = newBlobStore();
        open(plain, 16 << 10, false, "off").commit(1, ram(image), OptionalLong.empty());

        assertThat(objectsHolding(plain, marker)).as("the scan finds the marker where nothing is encrypted").isNotEmpty();
        assertThat(objectsHolding(encrypted, marker)).isEmpty();
    }

    private static List<String> objectsHolding(BlobStore blobs, byte[] needle) {
        List<String> found = new ArrayList<>();
        for (BlobInfo object : blobs.list("")) {
            byte[] content = blobs.get(object.key());
            if (GuestImages.indexOf(content, needle) >= 0) {
                found.add(object.key());
            }
        }
        return found;
    }

    @Test
    void aFlippedByteAnywhereInAPackOrManifestIsCaught() throws Exception {
        BlobStore blobs = newBlobStore();
        SnapshotStore store = open(blobs, 16 << 10, true, "flip");
        Path image = dir.resolve("ram");
        GuestImages.ram(image, 1024, 3);
        store.commit(1, ram(image), OptionalLong.empty());
        List<BlobInfo> objects = new ArrayList<>(blobs.list("packs/"));
        objects.addAll(blobs.list("manifests/"));
        Random random = new Random(42);
        for (int round = 0; round < 16; round++) {
            BlobInfo object = objects.get(round % objects.size());
            byte[] good = blobs.get(object.key());
            int at = random.nextInt(good.length);
            byte[] bad = good.clone();
            bad[at] ^= (byte) (1 << random.nextInt(8));
            blobs.put(object.key(), bad);
            String where = object.key() + " byte " + at;

            assertThatThrownBy(() -> store.verify(1, 1)).as(where)
                    .isInstanceOfSatisfying(SnapshotException.class, e ->
                            assertThat(e.kind()).isEqualTo(SnapshotException.Kind.CORRUPT));
            Path target = dir.resolve("restore-" + round);
            try {
                SavedState back = store.materialize(1, 1, target);
                // a restore reads only the records it needs: damage elsewhere (trailer, header) is verify's to find
                assertThat(object.key()).as(where).startsWith("packs/");
                assertThat(Files.mismatch(back.parts().getFirst().file(), image)).as(where).isEqualTo(-1L);
            } catch (SnapshotException e) {
                assertThat(e.kind()).as(where).isEqualTo(SnapshotException.Kind.CORRUPT);
                assertThat(Files.exists(target.resolve("ram"))).as(where).isFalse();
            }
            blobs.put(object.key(), good);
        }
        assertThat(store.verify(1, 1).chunks()).isPositive();
    }
}
