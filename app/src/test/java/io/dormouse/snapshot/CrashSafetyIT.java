package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.blob.BlobInfo;
import io.dormouse.blob.FileBlobStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a committing process ({@link CommitLoop}, a separate JVM) with SIGKILL at random moments,
 * over and over on one store: every version a commit reported stays, no version the store lists
 * ever fails verification, and garbage collection then removes what the killed commits left.
 */
class CrashSafetyIT {

    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void killingACommitAtRandomPointsNeverLeavesABrokenVersion() throws Exception {
        Path store = dir.resolve("store");
        Path key = dir.resolve("key");
        Path index = dir.resolve("index");
        Random random = new Random(2026);
        Set<String> reported = new HashSet<>();
        for (int kill = 0; kill < KILLS; kill++) {
            List<String> lines = new CopyOnWriteArrayList<>();
            CountDownLatch open = new CountDownLatch(1);
            CountDownLatch committed = new CountDownLatch(1);
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    CommitLoop.class.getName(), store.toString(), key.toString(), index.toString(), dir.toString(),
                    Long.toString(kill))
                    .redirectError(dir.resolve("child-" + kill + ".err").toFile())
                    .start();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                        if (line.equals("open")) {
                            open.countDown();
                        } else if (line.startsWith("committed ")) {
                            committed.countDown();
                        }
                    }
                } catch (IOException ignored) {
                    // the process was killed
                }
            });
            assertThat(open.await(60, TimeUnit.SECONDS)).as("child %d opened the store; stderr: %s", kill,
                    Files.readString(dir.resolve("child-" + kill + ".err"))).isTrue();
            // every other kill waits for a first commit, so that on a slow machine too later commits are hit
            if (kill % 2 == 1) {
                assertThat(committed.await(120, TimeUnit.SECONDS)).as("child %d committed a version", kill).isTrue();
                Thread.sleep(random.nextInt(500));
            } else {
                Thread.sleep(random.nextInt(1500));
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            lines.stream().filter(l -> l.startsWith("committed ")).forEach(l -> reported.add(l.substring(10)));

            try (FileBlobStore blobs = FileBlobStore.open(store)) {
                SnapshotStore snapshots = SnapshotStore.open(blobs, settings(key, index), InstantSource.system());
                Set<String> listed = new HashSet<>();
                for (long vm = 1; vm <= 3; vm++) {
                    for (Version v : snapshots.versions(vm)) {
                        listed.add(vm + "/" + v.number());
                        assertThat(snapshots.verify(vm, v.number()).chunks()).as("after kill %d", kill).isPositive();
                    }
                }
                assertThat(listed).as("every commit that returned is there after kill %d", kill).containsAll(reported);
            }
        }
        long unfinished;
        try (Stream<Path> files = Files.walk(store)) {
            unfinished = files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).count();
        }
        System.out.printf("%d kills, %d committed versions, %d temporary files of interrupted writes%n", KILLS,
                reported.size(), unfinished);
        assertThat(reported).as("the children got commits done").isNotEmpty();

        try (FileBlobStore blobs = FileBlobStore.open(store)) {
            InstantSource later = () -> Instant.now().plus(Duration.ofHours(2));
            SnapshotStore snapshots = SnapshotStore.open(blobs, settings(key, index), later);
            GcReport report = snapshots.gc(new Retention(1_000, 0, 0), Duration.ofHours(1));
            System.out.println("GC after the kills: " + report);

            assertThat(report.deletedVersions()).isEmpty();
            assertThat(report.unfinishedRemoved()).isEqualTo(unfinished);
            try (Stream<Path> files = Files.walk(store)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-"))).isEmpty();
            }
            Set<ChunkId> referenced = new HashSet<>();
            Manifests manifests = new Manifests(blobs, new ManifestCodec(StoreKey.read(key)));
            manifests.all().values().forEach(versions -> versions.values().forEach(m -> m.parts().forEach(part ->
                    part.extents().stream().filter(e -> !e.zero()).forEach(e -> referenced.add(ChunkId.ofHex(e.chunk()))))));
            for (BlobInfo pack : blobs.list(PackFormat.PREFIX)) {
                assertThat(PackFormat.read(blobs, pack.key()).entries()).as("pack %s after GC", pack.key())
                        .anyMatch(e -> referenced.contains(e.id()));
            }
            for (String v : reported) {
                String[] vmVersion = v.split("/");
                snapshots.verify(Long.parseLong(vmVersion[0]), Long.parseLong(vmVersion[1]));
            }
        }
    }

    private static SnapshotSettings settings(Path key, Path index) {
        return new SnapshotSettings(16 << 10, 1 << 20, true, key, index);
    }
}
