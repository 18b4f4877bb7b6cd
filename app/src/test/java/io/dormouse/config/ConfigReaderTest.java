package io.dormouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {

    @TempDir
    Path dir;

    private final ConfigReader reader = ConfigReader.withEnvironment(Map.of());

    private DormouseConfig read(String yaml) throws IOException {
        Path file = dir.resolve("dormouse.yaml");
        Files.writeString(file, yaml);
        return reader.read(Optional.of(file), Map.of());
    }

    private ConfigException rejected(String yaml) {
        Path file = dir.resolve("dormouse.yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> reader.read(Optional.of(file), Map.of()));
    }

    @Test
    void defaultsNeedNoFile() {
        DormouseConfig config = reader.read(Optional.empty(), Map.of());
        assertThat(config.dataDir()).isEqualTo(Path.of("dormouse-data"));
        assertThat(config.api().listen()).isEqualTo(new ListenAddress("127.0.0.1", 7070));
        assertThat(config.dns().listen()).isEqualTo(new ListenAddress("127.0.0.1", 1053));
        assertThat(config.dns().zone()).isEqualTo("dormouse.test.");
        assertThat(config.database().effectiveUrl(Path.of("/d"))).isEqualTo("jdbc:sqlite:/d/state.db");
        assertThat(config).isEqualTo(DormouseConfig.defaults());
    }

    @Test
    void fileOverridesDefaultsKeyByKey() throws IOException {
        DormouseConfig config = read("""
                dns:
                  zone: Example.ORG
                database:
                  busy-timeout: 1500ms
                """);
        assertThat(config.dns().zone()).isEqualTo("example.org.");
        assertThat(config.dns().listen().port()).isEqualTo(1053);
        assertThat(config.database().busyTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.api()).isEqualTo(DormouseConfig.defaults().api());
    }

    @Test
    void environmentOverridesFileAndFlagsOverrideEnvironment() throws IOException {
        Path file = dir.resolve("dormouse.yaml");
        Files.writeString(file, "api:\n  listen: 127.0.0.1:1000\ndns:\n  listen: 127.0.0.1:2000\n");
        ConfigReader withEnv = ConfigReader.withEnvironment(Map.of(
                "DORMOUSE_API_LISTEN", "127.0.0.1:3000",
                "DORMOUSE_DNS_LISTEN", "127.0.0.1:4000",
                "DORMOUSE_DATA_DIR", "/var/lib/dormouse",
                "DORMOUSE_DATABASE_BUSY_TIMEOUT", "9s",
                "DORMOUSE_TOKEN", "client-side variables are not configuration keys"));
        DormouseConfig config = withEnv.read(Optional.of(file), Map.of("dns.listen", "127.0.0.1:5000"));
        assertThat(config.api().listen().port()).isEqualTo(3000);
        assertThat(config.dns().listen().port()).isEqualTo(5000);
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/dormouse"));
        assertThat(config.database().busyTimeout()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void unknownKeyIsNamedWithTheAllowedOnes() {
        ConfigException e = rejected("dns:\n  lisen: 127.0.0.1:53\n");
        assertThat(e.key()).isEqualTo("dns.lisen");
        assertThat(e.getMessage()).contains("dns.lisen", "unknown key", "listen", "zone", "dormouse.yaml");
    }

    @Test
    void unknownTopLevelKeyIsNamed() {
        ConfigException e = rejected("dnss: {}\n");
        assertThat(e.key()).isEqualTo("dnss");
        assertThat(e.getMessage()).contains("top-level keys", "api", "data-dir", "dns");
    }

    @Test
    void portOutOfRangeNamesKeyValueAndRange() {
        ConfigException e = rejected("api:\n  listen: 127.0.0.1:70000\n");
        assertThat(e.key()).isEqualTo("api.listen");
        assertThat(e.getMessage()).contains("127.0.0.1:70000", "70000", "0-65535");
    }

    @Test
    void wrongTypesAreNamed() {
        assertThat(rejected("api: 5\n").key()).isEqualTo("api");
        assertThat(rejected("api: 5\n").getMessage()).contains("a mapping of keys");
        ConfigException list = rejected("dns:\n  listen: [1, 2]\n");
        assertThat(list.key()).isEqualTo("dns.listen");
        ConfigException duration = rejected("database:\n  busy-timeout: soon\n");
        assertThat(duration.key()).isEqualTo("database.busy-timeout");
        assertThat(duration.getMessage()).contains("soon", "1500ms");
        ConfigException format = rejected("log:\n  format: xml\n");
        assertThat(format.key()).isEqualTo("log.format");
        assertThat(format.getMessage()).contains("xml", "text, json");
    }

    @Test
    void recordValidationIsAttributedToTheKey() {
        ConfigException zone = rejected("dns:\n  zone: -bad-.test\n");
        assertThat(zone.key()).isEqualTo("dns.zone");
        assertThat(zone.getMessage()).contains("-bad-");
        ConfigException url = rejected("database:\n  url: jdbc:mysql://x/y\n");
        assertThat(url.key()).isEqualTo("database.url");
        assertThat(url.getMessage()).contains("jdbc:mysql://x/y", "jdbc:postgresql:");
        ConfigException level = rejected("log:\n  level: loud\n");
        assertThat(level.key()).isEqualTo("log.level");
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        ConfigReader withEnv = ConfigReader.withEnvironment(Map.of("DORMOUSE_DNS_LISTEN", "localhost:99999"));
        assertThatThrownBy(() -> withEnv.read(Optional.empty(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dns.listen")
                .hasMessageContaining("DORMOUSE_DNS_LISTEN")
                .hasMessageContaining("99999");
    }

    @Test
    void unknownEnvironmentVariableIsRejected() {
        ConfigReader withEnv = ConfigReader.withEnvironment(Map.of("DORMOUSE_DNS_LISTN", "x"));
        assertThatThrownBy(() -> withEnv.read(Optional.empty(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DORMOUSE_DNS_LISTN")
                .hasMessageContaining("DORMOUSE_DNS_LISTEN");
    }

    @Test
    void malformedYamlGivesItsLine() {
        ConfigException e = rejected("api:\n  listen: [unclosed\n");
        assertThat(e.getMessage()).contains("not valid YAML", "line");
        assertThat(rejected("- a list\n").getMessage()).contains("expected a mapping");
    }

    @Test
    void missingOrUnreadableFileIsExplained() throws IOException {
        assertThatThrownBy(() -> reader.read(Optional.of(dir.resolve("absent.yaml")), Map.of()))
                .hasMessageContaining("absent.yaml").hasMessageContaining("does not exist");
        Path directory = Files.createDirectory(dir.resolve("conf.d"));
        assertThatThrownBy(() -> reader.read(Optional.of(directory), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read configuration file")
                .hasMessageContaining("conf.d");
    }

    @Test
    void emptyFileMeansDefaults() throws IOException {
        assertThat(read("")).isEqualTo(DormouseConfig.defaults());
    }

    @Test
    void showMasksSecrets() throws IOException {
        DormouseConfig config = read("api:\n  token: s3cret-token\ndatabase:\n  password: hunter2\n");
        assertThat(config.api().token().value()).isEqualTo("s3cret-token");
        String yaml = ConfigReader.toYaml(config, false);
        assertThat(yaml).doesNotContain("s3cret-token").doesNotContain("hunter2").contains("token: '****'");
        assertThat(ConfigReader.toYaml(config, true)).contains("s3cret-token");
        assertThat(config.api().token().toString()).isEqualTo("****");
    }

    @Test
    void shownConfigurationReadsBackToTheSame() throws IOException {
        DormouseConfig config = read("dns:\n  zone: a.example\ndatabase:\n  busy-timeout: 90s\n");
        assertThat(read(ConfigReader.toYaml(config, true))).isEqualTo(config);
    }

    @Test
    void dataDirectoryThatIsAFileIsRejected() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> DataDirectory.prepare(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("data-dir")
                .hasMessageContaining("not a directory");
        assertThat(DataDirectory.prepare(dir.resolve("a/b"))).isDirectory();
    }

    @Test
    void listsComeFromYamlListsOrCommaSeparatedVariables() throws IOException {
        DormouseConfig file = read("dns:\n  wake:\n    acl: [10.0.0.0/8, '::1/128']\n");
        assertThat(file.dns().wake().acl()).containsExactly("10.0.0.0/8", "::1/128");
        ConfigReader withEnv = ConfigReader.withEnvironment(Map.of("DORMOUSE_DNS_VMSTATE_ACL", "192.0.2.0/24, 127.0.0.1"));
        assertThat(withEnv.read(Optional.empty(), Map.of()).dns().vmstate().acl()).containsExactly("192.0.2.0/24", "127.0.0.1");
    }

    @Test
    void badNetworksAndRatesNameTheirKeys() {
        ConfigException cidr = rejected("dns:\n  wake:\n    acl: [10.0.0.0/33]\n");
        assertThat(cidr.key()).isEqualTo("dns.wake.acl");
        assertThat(cidr.getMessage()).contains("10.0.0.0/33", "0-32");
        ConfigException rate = rejected("dns:\n  wake:\n    per-vm:\n      rate: 5\n      burst: 0\n");
        assertThat(rate.key()).isEqualTo("dns.wake.per-vm.rate");
        ConfigException type = rejected("dns:\n  vmstate:\n    type: 99\n");
        assertThat(type.key()).isEqualTo("dns.vmstate.type");
        assertThat(type.getMessage()).contains("65280-65534");
        assertThat(rejected("dns:\n  not-ready: maybe\n").getMessage()).contains("front-address, servfail");
    }

    @Test
    void telemetryIntervalAndRetentionsAreCheckedByKey() throws IOException {
        DormouseConfig config = read("telemetry:\n  interval: 15s\n  retention:\n    raw: 1d\n"
                + "  excluded-sources: [192.0.2.7/32]\n");
        assertThat(config.telemetry().interval()).isEqualTo(java.time.Duration.ofSeconds(15));
        assertThat(config.telemetry().retention().raw()).isEqualTo(java.time.Duration.ofDays(1));
        assertThat(config.telemetry().excludedSources()).containsExactly("192.0.2.7/32");

        ConfigException interval = rejected("telemetry:\n  interval: 500ms\n");
        assertThat(interval.key()).isEqualTo("telemetry.interval");
        assertThat(interval.getMessage()).contains("500ms", "1s-1h");
        ConfigException order = rejected("telemetry:\n  retention:\n    raw: 40d\n");
        assertThat(order.key()).isEqualTo("telemetry.retention.five-minutes");
        assertThat(order.getMessage()).contains("35d", "40d");
        ConfigException source = rejected("telemetry:\n  excluded-sources: [health-checker]\n");
        assertThat(source.key()).isEqualTo("telemetry.excluded-sources");
    }

    @Test
    void tsigKeysAreSecrets() throws IOException {
        DormouseConfig config = read("dns:\n  vmstate:\n    tsig-keys: ['ops:c2VjcmV0c2VjcmV0']\n");
        assertThat(config.dns().vmstate().tsigKeys()).extracting(Secret::value).containsExactly("ops:c2VjcmV0c2VjcmV0");
        assertThat(ConfigReader.toYaml(config, false)).doesNotContain("c2VjcmV0").contains("'****'");
    }
}
