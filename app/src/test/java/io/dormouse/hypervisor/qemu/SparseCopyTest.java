package io.dormouse.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparseCopyTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void findsTheDataExtentsOfASparseFile() throws IOException {
        Path file = sparse("extents", 8 * MIB, new long[] {MIB, 3 * MIB + 4096}, 7);

        List<long[]> extents = SparseCopy.dataExtents(file);

        assertThat(extents).isNotEmpty();
        long data = extents.stream().mapToLong(e -> e[1] - e[0]).sum();
        assertThat(data).as("bytes in data extents of an 8 MiB file with two 64 KiB runs").isLessThan(2 * MIB);
        assertThat(extents).anySatisfy(e -> assertThat(e[0]).isLessThanOrEqualTo(MIB).isGreaterThan(-1)
                .satisfies(start -> assertThat(e[1]).isGreaterThanOrEqualTo(MIB + 65536)));
    }

    @Test
    void makesTheTargetEqualToTheSourceAndZerosWhereTheSourceHasHoles() throws IOException {
        Path source = sparse("source", 8 * MIB, new long[] {0, 2 * MIB, 7 * MIB}, 1);
        // the target holds data where the source has holes, as a RAM file a process wrote into
        Path target = sparse("target", 8 * MIB, new long[] {MIB, 5 * MIB, 7 * MIB + 8192}, 2);

        SparseCopy.copyOver(source, target);

        assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
    }

    @Test
    void refusesATargetOfAnotherSize() throws IOException {
        Path source = sparse("small", MIB, new long[] {0}, 3);
        Path target = sparse("large", 2 * MIB, new long[] {0}, 4);

        assertThatThrownBy(() -> SparseCopy.copyOver(source, target)).isInstanceOf(IOException.class)
                .hasMessageContaining("has " + 2 * MIB + " bytes");
    }

    @Test
    void mergesOverlappingAndTouchingRanges() {
        List<long[]> merged = SparseCopy.merge(List.of(new long[] {0, 10}, new long[] {20, 30}),
                List.of(new long[] {10, 15}, new long[] {25, 40}, new long[] {50, 60}));

        assertThat(merged).containsExactly(new long[] {0, 15}, new long[] {20, 40}, new long[] {50, 60});
    }

    /** A file of {@code size} bytes, holes but for 64 KiB of seeded random bytes at each offset. */
    private Path sparse(String name, long size, long[] offsets, long seed) throws IOException {
        Path file = dir.resolve(name);
        Random random = new Random(seed);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
            for (long offset : offsets) {
                byte[] run = new byte[65536];
                random.nextBytes(run);
                f.seek(offset);
                f.write(run, 0, (int) Math.min(run.length, size - offset));
            }
        }
        return file;
    }
}
