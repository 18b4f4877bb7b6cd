package io.dormouse.bench;

import io.dormouse.blob.BlobInfo;
import io.dormouse.blob.BlobStore;
import io.dormouse.blob.FileBlobStore;
import io.dormouse.blob.S3BlobStore;
import io.dormouse.blob.S3ProxyServer;
import io.dormouse.hypervisor.SavedState;
import io.dormouse.snapshot.SnapshotSettings;
import io.dormouse.snapshot.SnapshotStore;
import io.dormouse.snapshot.Version;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Measures the snapshot store on the local file system or on S3Proxy (in process, on its file-system
 * backend) and prints Markdown table rows for docs/benchmarks.md. Run by {@code bench/snapshot}, which
 * passes {@code throughput WORKDIR RUNS BACKEND SIZE_MIB [RAM_IMAGE]} or {@code chunking WORKDIR RAM_V1 RAM_V2}.
 * Without a RAM image, a synthetic one of SIZE_MIB with guest-like page patterns is generated (seeded).
 */
public final class SnapshotBench {

    private static final int PAGE = 4096;
    private static final long MIB = 1 << 20;

    private SnapshotBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[1]);
        switch (args[0]) {
            case "throughput" -> throughput(work, Integer.parseInt(args[2]), args[3], Integer.parseInt(args[4]),
                    args.length > 5 ? Path.of(args[5]) : null);
            case "chunking" -> chunking(work, Path.of(args[2]), Path.of(args[3]));
            default -> throw new IllegalArgumentException("mode must be throughput or chunking, got " + args[0]);
        }
    }

    /**
     * Commit of a first version, commit after 1 % of the pages changed, materialize; the median of
     * RUNS. Prints one table row per operation, without a header (the script adds reference rows).
     */
    private static void throughput(Path work, int runs, String backend, int sizeMib, Path image) throws Exception {
        Path ram = work.resolve("ram.img");
        if (image == null) {
            synthetic(ram, (int) (sizeMib * MIB / PAGE), 1);
        } else {
            Files.copy(image, ram);
        }
        long size = Files.size(ram);
        S3ProxyServer s3 = null;
        if (backend.equals("s3")) {
            s3 = new S3ProxyServer();
            s3.beforeAll(null);
        }
        warmUp(work, backend.equals("s3") ? s3 : null);
        List<double[]> first = new ArrayList<>();
        List<double[]> delta = new ArrayList<>();
        List<double[]> compared = new ArrayList<>();
        List<double[]> restore = new ArrayList<>();
        try {
            for (int run = 0; run < runs; run++) {
                Path storeDir = work.resolve("store-" + run);
                Files.createDirectories(storeDir);
                try (BlobStore blobs = s3 == null ? FileBlobStore.open(storeDir.resolve("blobs"))
                        : S3BlobStore.open(s3.newBucket("bench"))) {
                    SnapshotStore store = SnapshotStore.open(blobs, SnapshotSettings.defaults(storeDir), InstantSource.system());
                    SavedState state = ramOnly(ram);
                    long start = System.nanoTime();
                    long cpu = cpuNanos();
                    Version v1 = store.commit(1, state, OptionalLong.empty());
                    first.add(new double[] {seconds(start), v1.newBytes(), v1.storedBytes(), cpuSeconds(cpu)});
                    changePages(ram, (int) (size / PAGE / 100), run);
                    start = System.nanoTime();
                    cpu = cpuNanos();
                    Version v2 = store.commit(1, state, OptionalLong.of(1));
                    delta.add(new double[] {seconds(start), v2.newBytes(), v2.storedBytes(), cpuSeconds(cpu)});
                    // the committed file stays as version 2's local copy; version 3 is a changed copy of it
                    Path next = work.resolve("ram-next.img");
                    Files.copy(ram, next, StandardCopyOption.REPLACE_EXISTING);
                    changePages(next, (int) (size / PAGE / 100), run + 500);
                    start = System.nanoTime();
                    cpu = cpuNanos();
                    Version v3 = store.commit(1, ramOnly(next), OptionalLong.of(2));
                    compared.add(new double[] {seconds(start), v3.newBytes(), v3.storedBytes(), cpuSeconds(cpu)});
                    Files.delete(next);
                    start = System.nanoTime();
                    cpu = cpuNanos();
                    store.materialize(1, 2, storeDir.resolve("restore"));
                    restore.add(new double[] {seconds(start), 0, 0, cpuSeconds(cpu)});
                    for (BlobInfo object : blobs.list("")) {
                        blobs.delete(object.key());
                    }
                }
                deleteTree(storeDir);
                System.err.printf(Locale.ROOT, "%s run %d/%d done%n", backend, run + 1, runs);
            }
        } finally {
            if (s3 != null) {
                s3.afterAll(null);
            }
        }
        String name = backend.equals("s3") ? "S3Proxy" : "file system";
        row(name + ": commit, first version", size, first);
        row(name + ": commit after 1 % of pages changed, every block hashed", size, delta);
        row(name + ": commit after 1 % of pages changed, parent's local copy compared", size, compared);
        row(name + ": materialize (every chunk verified)", size, restore);
    }

    /**
     * One unmeasured commit, incremental commit and materialize of a 256 MiB image, so that the
     * measured runs find the hot code compiled, as in a server that has been up for a while.
     */
    private static void warmUp(Path work, S3ProxyServer s3) throws Exception {
        Path dir = Files.createDirectories(work.resolve("warm-up"));
        Path ram = dir.resolve("ram.img");
        synthetic(ram, (int) (256 * MIB / PAGE), 7);
        try (BlobStore blobs = s3 == null ? FileBlobStore.open(dir.resolve("blobs")) : S3BlobStore.open(s3.newBucket("warm"))) {
            SnapshotStore store = SnapshotStore.open(blobs, SnapshotSettings.defaults(dir), InstantSource.system());
            store.commit(1, ramOnly(ram), OptionalLong.empty());
            Path next = dir.resolve("ram-next.img");
            Files.copy(ram, next);
            changePages(next, (int) (256 * MIB / PAGE / 100), 7);
            store.commit(1, ramOnly(next), OptionalLong.of(1));
            changePages(next, (int) (256 * MIB / PAGE / 100), 8);
            store.commit(1, ramOnly(next), OptionalLong.of(2));
            store.materialize(1, 3, dir.resolve("restore"));
            for (BlobInfo object : blobs.list("")) {
                blobs.delete(object.key());
            }
        }
        deleteTree(dir);
    }

    /** Two real RAM images of one guest, a little apart: what each block size stores and costs. */
    private static void chunking(Path work, Path v1, Path v2) throws IOException {
        long size = Files.size(v1);
        System.out.println("| block size | chunks v1 | stored v1 (MiB) | new chunks v2 | new bytes v2 (MiB) | written v2 (MiB)"
                + " | manifest (KiB) | v2 cost (MiB) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int block : new int[] {4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20}) {
            Path storeDir = work.resolve("chunking-" + block);
            try (FileBlobStore blobs = FileBlobStore.open(storeDir.resolve("blobs"))) {
                SnapshotStore store = SnapshotStore.open(blobs, SnapshotSettings.defaults(storeDir).withBlockSize(block),
                        InstantSource.system());
                Version first = store.commit(1, ramOnly(v1), OptionalLong.empty());
                Version second = store.commit(1, new SavedState(List.of(new SavedState.Part("ram", v2,
                        SavedState.Layout.PAGE_ALIGNED, size)), "bench", "bench", Duration.ZERO), OptionalLong.of(1));
                long manifest = blobs.list("manifests/1/2").stream().mapToLong(BlobInfo::size).sum();
                System.out.printf(Locale.ROOT, "| %d KiB | %d | %.1f | %d | %.2f | %.2f | %.0f | %.2f |%n", block >> 10,
                        nonZeroBlocks(v1, block), first.storedBytes() / (double) MIB, second.newBytes() / block,
                        second.newBytes() / (double) MIB, second.storedBytes() / (double) MIB, manifest / 1024.0,
                        (second.storedBytes() + manifest) / (double) MIB);
            }
            deleteTree(storeDir);
        }
    }

    private static SavedState ramOnly(Path ram) throws IOException {
        return new SavedState(List.of(new SavedState.Part("ram", ram, SavedState.Layout.PAGE_ALIGNED, Files.size(ram))),
                "bench", "bench", Duration.ZERO);
    }

    private static long nonZeroBlocks(Path file, int block) throws IOException {
        byte[] data = Files.readAllBytes(file);
        byte[] zeros = new byte[block];
        long count = 0;
        for (int off = 0; off < data.length; off += block) {
            int len = Math.min(block, data.length - off);
            if (!Arrays.equals(data, off, off + len, zeros, 0, len)) {
                count++;
            }
        }
        return count;
    }

    private static void row(String label, long size, List<double[]> samples) {
        double[] secs = samples.stream().mapToDouble(s -> s[0]).sorted().toArray();
        double median = secs[secs.length / 2];
        double[] mid = samples.stream().filter(s -> s[0] == median).findFirst().orElseThrow();
        System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %s | %s |%n", label, size / 1e6 / median, median,
                mid[3], mid[1] == 0 ? "-" : String.format(Locale.ROOT, "%.2f", mid[1] / MIB),
                mid[2] == 0 ? "-" : String.format(Locale.ROOT, "%.2f", mid[2] / MIB));
    }

    /** CPU time of the whole process: on a shared machine it moves less than the elapsed time. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double cpuSeconds(long startNanos) {
        return (cpuNanos() - startNanos) / 1e9;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Guest-like RAM: about 40 % zero pages, 30 % random, 20 % text, 10 % one repeated page. */
    private static void synthetic(Path file, int pages, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] repeated = new byte[PAGE];
        random.nextBytes(repeated);
        byte[] page = new byte[PAGE];
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength((long) pages * PAGE);
            for (int p = 0; p < pages; p++) {
                int kind = random.nextInt(10);
                if (kind < 4) {
                    continue;
                }
                if (kind < 7) {
                    random.nextBytes(page);
                } else if (kind < 9) {
                    byte[] line = ("[" + random.nextInt(100000) + "] kernel: eth0 link up, 1000 Mbps\n").getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < PAGE; i++) {
                        page[i] = line[i % line.length];
                    }
                } else {
                    System.arraycopy(repeated, 0, page, 0, PAGE);
                }
                out.seek((long) p * PAGE);
                out.write(page);
            }
        }
    }

    private static void changePages(Path file, int count, long seed) throws IOException {
        Random random = new Random(seed + 1000);
        byte[] page = new byte[PAGE];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long pages = f.length() / PAGE;
            for (int i = 0; i < count; i++) {
                random.nextBytes(page);
                f.seek((random.nextLong(pages)) * PAGE);
                f.write(page);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
