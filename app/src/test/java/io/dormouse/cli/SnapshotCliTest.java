package io.dormouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.Dormouse;
import io.dormouse.RunningServer;
import io.dormouse.blob.FileBlobStore;
import io.dormouse.hypervisor.SavedState;
import io.dormouse.snapshot.SnapshotSettings;
import io.dormouse.snapshot.SnapshotStore;
import io.dormouse.snapshot.Version;
import io.dormouse.state.DatabaseSettings;
import io.dormouse.state.NewVm;
import io.dormouse.state.SnapshotVersion;
import io.dormouse.state.StateStore;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dormouse snapshot verify} and {@code gc} against a real server whose store holds a committed version. */
class SnapshotCliTest {

    @TempDir
    Path dir;

    private RunningServer server;
    private long vm;
    private Path image;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (StateStore state = StateStore.open(DatabaseSettings.sqlite(data.resolve("state.db")))) {
            vm = state.vms().insert(new NewVm("web-1", "hibernated", "{}", null, "127.0.2.2", 5, "gold")).id();
        }
        byte[] ram = new byte[1 << 20];
        new Random(1).nextBytes(ram);
        image = Files.write(dir.resolve("ram.img"), ram);
        commit(1);
        server = RunningServer.start(data);
    }

    /** Commits {@code count} more versions, recording each in the state database as the VM manager will. */
    private void commit(int count) throws Exception {
        Path data = dir.resolve("data");
        try (FileBlobStore blobs = FileBlobStore.open(data.resolve("snapshots"));
             StateStore state = StateStore.open(DatabaseSettings.sqlite(data.resolve("state.db")))) {
            SnapshotStore store = SnapshotStore.open(blobs, SnapshotSettings.defaults(data), InstantSource.system());
            for (int i = 0; i < count; i++) {
                Version v = store.commit(vm, new SavedState(List.of(new SavedState.Part("ram", image,
                        SavedState.Layout.PAGE_ALIGNED, Files.size(image))), "9.2.0", "sha256:m", Duration.ZERO),
                        OptionalLong.empty());
                state.snapshotVersions().add(new SnapshotVersion(vm, v.number(), null, v.manifestKey(), v.createdAt(),
                        v.totalBytes(), v.newBytes(), v.qemuVersion(), v.machineFingerprint()));
            }
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        CommandLine cl = Cli.commandLine(new Dormouse());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = Stream.concat(Stream.of(args), Stream.of("--data-dir", dir.resolve("data").toString(),
                "--api", server.api())).toArray(String[]::new);
        return cl.execute(all);
    }

    @Test
    void verifyReadsEveryChunkOfTheVersionsTheStoreHolds() {
        int code = run("snapshot", "verify", "web-1");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("verified 1 version(s) of web-1: 64 chunks, 1048576 bytes read, all intact");
    }

    @Test
    void aFlippedPackByteIsReportedWithItsPackAndOffset() throws Exception {
        Path pack;
        try (Stream<Path> files = Files.walk(dir.resolve("data/snapshots/packs"))) {
            pack = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
            f.seek(4096);
            int b = f.read();
            f.seek(4096);
            f.write(b ^ 0x01);
        }

        int code = run("snapshot", "verify", "web-1", "1");

        assertThat(code).isEqualTo(Cli.SERVER_ERROR);
        assertThat(out.toString()).contains("1 FAILED").contains("pack ").contains("at offset ");
        assertThat(err.toString()).contains("1 version(s) of web-1 failed verification");
    }

    @Test
    void gcKeepsTheOnlyVersionAndSaysWhatItDid() {
        int code = run("snapshot", "gc");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("deleted 0 version(s), 0 pack(s)").contains("bytes freed");
        out.getBuffer().setLength(0);
        assertThat(run("snapshot", "verify", "web-1")).isZero();
    }

    @Test
    void gcAppliesTheConfiguredRetentionAndDeletesTheRowsOfTheVersionsItRemoved() throws Exception {
        server.close();
        commit(3);
        server = RunningServer.start(dir.resolve("data"));

        int code = run("snapshot", "gc");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("deleted 1 version(s)");
        out.getBuffer().setLength(0);
        assertThat(run("snapshot", "list", "web-1")).isZero();
        assertThat(out.toString()).doesNotContain("manifests/1/1").contains("manifests/1/2").contains("manifests/1/4");
        out.getBuffer().setLength(0);
        assertThat(run("snapshot", "verify", "web-1")).isZero();
        assertThat(out.toString()).contains("verified 3 version(s) of web-1");
    }

    @Test
    void anUnknownVersionIsNotFound() {
        int code = run("snapshot", "verify", "web-1", "7");

        assertThat(code).isEqualTo(Cli.SERVER_ERROR);
        assertThat(out.toString()).contains("1 FAILED");
    }
}
