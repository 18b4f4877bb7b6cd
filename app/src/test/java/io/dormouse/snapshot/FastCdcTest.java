package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FastCdcTest {

    private static final FastCdc CDC = new FastCdc(2 << 10, 8 << 10, 32 << 10);

    @TempDir
    Path dir;

    @Test
    void chunksCoverTheInputInOrderWithinTheSizeBounds() throws IOException {
        byte[] data = random(3_000_000, 1);
        List<long[]> chunks = split(data);

        long expected = 0;
        for (int i = 0; i < chunks.size(); i++) {
            long[] c = chunks.get(i);
            assertThat(c[0]).isEqualTo(expected);
            assertThat(c[1]).isLessThanOrEqualTo(32 << 10);
            if (i < chunks.size() - 1) {
                assertThat(c[1]).isGreaterThanOrEqualTo(2 << 10);
            }
            expected += c[1];
        }
        assertThat(expected).isEqualTo(data.length);
        double average = (double) data.length / chunks.size();
        // normalized chunking keeps the average near the target (about 8 KiB + the minimum skipped)
        assertThat(average).isBetween(6_000.0, 14_000.0);
    }

    @Test
    void theSameInputGivesTheSameChunks() throws IOException {
        byte[] data = random(1_000_000, 2);

        assertThat(split(data)).usingRecursiveComparison().isEqualTo(split(data.clone()));
    }

    @Test
    void anInsertionMovesOnlyTheCutsNearIt() throws IOException {
        byte[] data = random(2_000_000, 3);
        byte[] edited = insert(data, 1_500_000, random(100, 4));

        Set<Long> before = ends(split(data), 0, 0);
        Set<Long> after = ends(split(edited), 1_500_000, -100);
        List<Long> early = before.stream().filter(e -> e < 1_400_000).toList();

        // everything well before the insertion is cut exactly as before
        assertThat(after).containsAll(early);
        // and the cuts resynchronize after it: most later cuts are the old ones, shifted
        List<Long> late = before.stream().filter(e -> e > 1_600_000).toList();
        long kept = late.stream().filter(after::contains).count();
        assertThat(kept).isGreaterThan(late.size() * 9L / 10);
    }

    @Test
    void cutsAfterAPrefixInsertAreTheOldCutsShifted() throws IOException {
        byte[] data = random(1_000_000, 5);
        byte[] edited = insert(data, 0, random(777, 6));

        List<long[]> original = split(data);
        Set<Long> shifted = ends(split(edited), 0, -777);
        // the first cut or two differ; from the third on, the boundaries are the published algorithm's
        // content-defined ones and do not depend on where the stream started
        List<Long> later = original.subList(3, original.size()).stream().map(c -> c[0] + c[1]).toList();
        assertThat(shifted).containsAll(later);
    }

    @Test
    void everyCutBeforeTheMaximumIsWhereTheGearHashMatchesTheMask() throws IOException {
        byte[] data = random(500_000, 7);
        List<long[]> chunks = split(data);

        for (long[] c : chunks.subList(0, chunks.size() - 1)) {
            int start = (int) c[0];
            int length = (int) c[1];
            if (length == CDC.maxSize()) {
                continue;
            }
            // recompute the hash from the minimum size up to the cut, per Algorithm 1 of the paper
            long fp = 0;
            for (int i = CDC.minSize(); i <= length; i++) {
                fp = (fp << 1) + FastCdc.GEAR[data[start + i] & 0xff];
            }
            long mask = length < CDC.averageSize() ? CDC.smallMask() : CDC.largeMask();
            assertThat(fp & mask).as("hash at the cut of chunk at %d", start).isZero();
        }
    }

    @Test
    void masksHaveTheNormalizationLevelTwoBitCounts() {
        assertThat(Long.bitCount(CDC.smallMask())).isEqualTo(15);
        assertThat(Long.bitCount(CDC.largeMask())).isEqualTo(11);
    }

    @Test
    void sizesMustBeOrderedWithAPowerOfTwoAverage() {
        assertThatThrownBy(() -> new FastCdc(8192, 8192, 65536)).hasMessageContaining("0 < min < average < max");
        assertThatThrownBy(() -> new FastCdc(2048, 6000, 65536)).hasMessageContaining("power-of-two average");
    }

    @Test
    void shortInputsAreOneChunk() throws IOException {
        assertThat(split(random(1000, 8))).hasSize(1);
        assertThat(split(new byte[0])).isEmpty();
    }

    private List<long[]> split(byte[] data) throws IOException {
        Path file = Files.write(dir.resolve("data-" + System.nanoTime()), data);
        List<long[]> chunks = new ArrayList<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            CDC.split(in, data.length, (offset, buffer, start, length) -> chunks.add(new long[] {offset, length}));
        }
        return chunks;
    }

    /** Chunk end positions, shifted by {@code shift} for those at or after {@code from}. */
    private static Set<Long> ends(List<long[]> chunks, long from, long shift) {
        Set<Long> ends = new HashSet<>();
        for (long[] c : chunks) {
            long end = c[0] + c[1];
            ends.add(end >= from ? end + shift : end);
        }
        return ends;
    }

    private static byte[] insert(byte[] data, int at, byte[] inserted) {
        byte[] result = new byte[data.length + inserted.length];
        System.arraycopy(data, 0, result, 0, at);
        System.arraycopy(inserted, 0, result, at, inserted.length);
        System.arraycopy(data, at, result, at + inserted.length, data.length - at);
        return result;
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
