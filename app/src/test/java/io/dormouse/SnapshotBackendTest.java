package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.blob.S3Settings;
import io.dormouse.config.ConfigException;
import io.dormouse.config.ConfigReader;
import io.dormouse.config.DormouseConfig;
import io.dormouse.config.SnapshotConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot section of the configuration, and the store it opens. */
class SnapshotBackendTest {

    @TempDir
    Path dir;

    private static DormouseConfig read(Map<String, String> flags) {
        return ConfigReader.withEnvironment(Map.of()).read(Optional.empty(), flags);
    }

    @Test
    void s3CredentialsAndRegionComeFromTheAwsVariablesWhenNotConfigured() {
        SnapshotConfig config = read(Map.of("snapshot.backend", "s3", "snapshot.s3.bucket", "vms",
                "snapshot.s3.endpoint", "http://127.0.0.1:9000")).snapshot();

        S3Settings s3 = SnapshotBackend.s3Settings(config.s3(), Map.of("AWS_ACCESS_KEY_ID", "AKIA1",
                "AWS_SECRET_ACCESS_KEY", "s3cret", "AWS_REGION", "eu-central-1"));

        assertThat(s3.accessKey()).isEqualTo("AKIA1");
        assertThat(s3.secretKey()).isEqualTo("s3cret");
        assertThat(s3.region()).isEqualTo("eu-central-1");
        assertThat(s3.bucket()).isEqualTo("vms");
    }

    @Test
    void configuredCredentialsWinAndMissingOnesAreNamed() {
        SnapshotConfig config = read(Map.of("snapshot.backend", "s3", "snapshot.s3.bucket", "vms",
                "snapshot.s3.access-key", "mine", "snapshot.s3.secret-key", "also-mine")).snapshot();
        assertThat(SnapshotBackend.s3Settings(config.s3(), Map.of("AWS_ACCESS_KEY_ID", "other",
                "AWS_SECRET_ACCESS_KEY", "other")).accessKey()).isEqualTo("mine");

        SnapshotConfig bare = read(Map.of("snapshot.backend", "s3", "snapshot.s3.bucket", "vms")).snapshot();
        assertThatThrownBy(() -> SnapshotBackend.s3Settings(bare.s3(), Map.of()))
                .hasMessageContaining("AWS_ACCESS_KEY_ID").hasMessageContaining("snapshot.s3.access-key");
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> read(Map.of("snapshot.block-size", "5000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("snapshot.block-size")
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> read(Map.of("snapshot.backend", "ftp")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("allowed: file, s3");
        assertThatThrownBy(() -> read(Map.of("snapshot.retention.keep-last", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("snapshot.retention.keep-last");
        assertThatThrownBy(() -> read(Map.of("snapshot.backend", "s3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bucket");
    }

    @Test
    void theFileBackendOpensUnderTheDataDirectoryWithItsKey() throws Exception {
        SnapshotConfig config = read(Map.of()).snapshot();
        try (SnapshotBackend backend = SnapshotBackend.open(config, dir, Map.of(), InstantSource.system())) {
            assertThat(Files.isDirectory(dir.resolve("snapshots"))).isTrue();
            assertThat(Files.readString(dir.resolve("snapshot.key")).strip()).hasSize(64);
            assertThat(Files.isDirectory(dir.resolve("snapshot-cache"))).isTrue();
            assertThat(backend.retention().keepLast()).isEqualTo(3);
        }
    }
}
