package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.blob.FileBlobStore;
import io.dormouse.hypervisor.SavedState;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit whose parent's files are still on disk compares with them instead of hashing unchanged
 * blocks; the result must be what hashing every block gives, and a copy that may not hold the
 * parent's bytes must not be used.
 */
class ParentCompareTest {

    private static final int BLOCK = 16 << 10;

    @TempDir
    Path dir;

    private FileBlobStore blobs;
    private SnapshotStore store;

    @BeforeEach
    void open() {
        blobs = FileBlobStore.open(dir.resolve("blobs"));
        store = SnapshotStore.open(blobs, new SnapshotSettings(BLOCK, 1 << 20, true, dir.resolve("key"), null),
                InstantSource.system());
    }

    @AfterEach
    void close() {
        blobs.close();
    }

    @Test
    void comparingWithTheParentsCopyGivesTheChunksHashingEveryBlockGives() throws Exception {
        SavedState v1 = sample("v1", 1);
        store.commit(7, v1, OptionalLong.empty());
        SavedState v2 = copy(v1, "v2");
        GuestImages.touchPages(v2.parts().get(0).file(), 40, 2);
        GuestImages.touchPages(v2.parts().get(2).file(), 5, 3);
        zeroBlock(v2.parts().get(0).file(), 3);

        store.commit(7, v2, OptionalLong.of(1));
        long compared = store.lastCompared();
        store.commit(7, v2, OptionalLong.empty());

        assertThat(compared).as("bytes taken from the parent's copy").isGreaterThan(v2.totalBytes() / 2);
        assertThat(store.lastCompared()).as("without a parent every block is hashed").isZero();
        assertThat(store.manifest(7, 2).parts()).isEqualTo(store.manifest(7, 3).parts());
        assertSameFiles(store.materialize(7, 2, dir.resolve("back")), v2);
    }

    @Test
    void aCopyChangedAfterItsCommitIsNotTrusted() throws Exception {
        SavedState v1 = sample("v1", 1);
        store.commit(7, v1, OptionalLong.empty());
        Path ram = v1.parts().get(0).file();
        // the parent's file now differs from version 1 at block 5, and the new state has the same bytes there:
        // trusting the file would give block 5 version 1's chunk
        byte[] changed = new byte[BLOCK];
        new Random(9).nextBytes(changed);
        try (RandomAccessFile f = new RandomAccessFile(ram.toFile(), "rw")) {
            f.seek(5L * BLOCK);
            f.write(changed);
        }
        SavedState v2 = copy(v1, "v2");

        store.commit(7, v2, OptionalLong.of(1));

        assertThat(store.lastCompared()).as("only the unchanged disk is compared").isEqualTo(v1.parts().get(2).size());
        assertSameFiles(store.materialize(7, 2, dir.resolve("back")), v2);
    }

    @Test
    void aCopyWrittenThroughASharedMappingIsNotTrusted() throws Exception {
        SavedState v1 = sample("v1", 1);
        store.commit(7, v1, OptionalLong.empty());
        try (FileChannel channel = FileChannel.open(v1.parts().get(0).file(), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, BLOCK);
            map.put(100, (byte) (map.get(100) + 1));
            map.force();
        }
        SavedState v2 = copy(v1, "v2");

        store.commit(7, v2, OptionalLong.of(1));

        assertThat(store.lastCompared()).as("only the unchanged disk is compared").isEqualTo(v1.parts().get(2).size());
        assertSameFiles(store.materialize(7, 2, dir.resolve("back")), v2);
    }

    @Test
    void onlyTheCopyOfTheParentVersionIsUsed() throws Exception {
        SavedState v1 = sample("v1", 1);
        store.commit(7, v1, OptionalLong.empty());
        store.commit(7, sample("v2", 2), OptionalLong.of(1));
        SavedState v3 = copy(v1, "v3");
        GuestImages.touchPages(v3.parts().get(0).file(), 3, 4);

        store.commit(7, v3, OptionalLong.of(1));
        long againstVersion1 = store.lastCompared();
        store.commit(8, v1, OptionalLong.empty());

        assertThat(againstVersion1).as("the files kept are version 2's").isZero();
        assertThat(store.lastCompared()).as("another VM has no parent here").isZero();
        assertSameFiles(store.materialize(7, 3, dir.resolve("back")), v3);
    }

    @Test
    void aDeletedVersionsNumberComingBackDoesNotBringItsCopyBack() throws Exception {
        SavedState v1 = sample("v1", 1);
        store.commit(7, v1, OptionalLong.empty());
        SavedState v2 = sample("v2", 2);
        store.commit(7, v2, OptionalLong.of(1));
        store.delete(7, 2);
        // version 2 again, committed from files that are then changed: no copy of it may stay known
        SavedState again = copy(v1, "again");
        store.commit(7, again, OptionalLong.of(1));
        SavedState v3 = copy(v2, "v3");

        store.commit(7, v3, OptionalLong.of(2));

        assertThat(store.manifest(7, 2).parts()).isEqualTo(store.manifest(7, 1).parts());
        assertSameFiles(store.materialize(7, 3, dir.resolve("back")), v3);
    }

    @Test
    void aFileThatDiffersFromItsManifestFailsTheSpotCheck() throws Exception {
        SavedState v1 = sample("v1", 1);
        store.commit(7, v1, OptionalLong.empty());
        Manifest.Part ram = store.manifest(7, 1).parts().getFirst();
        SavedState.Part part = v1.parts().getFirst();
        Path other = GuestImages.ram(dir.resolve("other.img"), (int) (part.size() / GuestImages.PAGE), 99);
        StoreKey key = StoreKey.read(dir.resolve("key"));
        ChunkCodec codec = new ChunkCodec(key, true, new SecureRandom());

        assertThat(spotCheck(ram, part, part.file(), codec)).isTrue();
        assertThat(spotCheck(ram, part, other, codec)).isFalse();
    }

    @Test
    void aStampTakenJustAfterAChangeIsNotSettledUntilATickHasPassed() throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[8192]);

        FileStamp fresh = FileStamp.of(file).orElseThrow();
        FileStamp settled = FileStamp.settled(file).orElseThrow();

        assertThat(fresh.settled()).isFalse();
        assertThat(fresh.unchanged()).isFalse();
        assertThat(settled.settled()).isTrue();
        assertThat(settled.unchanged()).isTrue();
        Files.write(file, new byte[8192]);
        assertThat(settled.unchanged()).as("rewritten with the same bytes is still a change").isFalse();
    }

    private boolean spotCheck(Manifest.Part manifestPart, SavedState.Part part, Path file, ChunkCodec codec)
            throws Exception {
        FileStamp stamp = FileStamp.settled(file).orElseThrow();
        ParentBlocks parent = ParentBlocks.of(manifestPart, part, BLOCK, stamp).orElseThrow();
        try (Arena arena = Arena.ofConfined(); FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment image = in.map(FileChannel.MapMode.READ_ONLY, 0, part.size(), arena);
            return parent.spotCheck(image, BLOCK, part.size(), codec);
        }
    }

    private SavedState sample(String name, long seed) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        return GuestImages.state(GuestImages.ram(d.resolve("ram.img"), 1024, seed),
                GuestImages.stream(d.resolve("devices.bin"), 100_000, seed),
                GuestImages.ram(d.resolve("disk0.img"), 256, seed + 1));
    }

    private SavedState copy(SavedState state, String name) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        List<SavedState.Part> parts = state.parts().stream().map(p -> {
            try {
                Path target = Files.copy(p.file(), d.resolve(p.file().getFileName()), StandardCopyOption.REPLACE_EXISTING);
                return new SavedState.Part(p.name(), target, p.layout(), p.size());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        return new SavedState(parts, state.qemuVersion(), state.machineFingerprint(), state.pausedFor());
    }

    private static void zeroBlock(Path file, int block) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek((long) block * BLOCK);
            f.write(new byte[BLOCK]);
        }
    }

    private static void assertSameFiles(SavedState actual, SavedState expected) throws Exception {
        assertThat(actual.parts()).hasSameSizeAs(expected.parts());
        for (int i = 0; i < expected.parts().size(); i++) {
            assertThat(Files.mismatch(actual.parts().get(i).file(), expected.parts().get(i).file()))
                    .as("part %s", expected.parts().get(i).name()).isEqualTo(-1L);
        }
        assertThat(Arrays.asList(actual.parts().stream().map(SavedState.Part::name).toArray()))
                .isEqualTo(expected.parts().stream().map(SavedState.Part::name).toList());
    }
}
