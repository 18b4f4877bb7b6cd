package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/architecture.md, checked on the imports of the main sources: dependencies
 * point one way, the forecaster is a pure library, config and telemetry are leaves, and only the
 * composition root chooses a hypervisor implementation or reaches the command line.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/dormouse");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.dormouse\\.([a-z]+)((?:\\.[a-z]+)*)\\.",
            Pattern.MULTILINE);

    /** Which dormouse packages each package may import; the root package (composition) may import any. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("alloc", Set.of()),
            Map.entry("blob", Set.of()),
            Map.entry("config", Set.of()),
            Map.entry("forecast", Set.of()),
            Map.entry("state", Set.of()),
            Map.entry("telemetry", Set.of("config")),
            Map.entry("hypervisor", Set.of("config", "telemetry")),
            Map.entry("snapshot", Set.of("blob", "config", "hypervisor", "telemetry")),
            Map.entry("vm", Set.of("alloc", "config", "hypervisor", "snapshot", "state", "telemetry")),
            Map.entry("dns", Set.of("config", "telemetry", "vm")),
            Map.entry("front", Set.of("alloc", "config", "hypervisor", "telemetry", "vm")),
            Map.entry("schedule", Set.of("alloc", "config", "forecast", "hypervisor", "snapshot", "state", "telemetry",
                    "vm")),
            Map.entry("sim", Set.of("alloc", "config", "forecast", "hypervisor", "schedule", "snapshot", "state",
                    "telemetry", "vm")),
            Map.entry("api", Set.of("alloc", "blob", "config", "forecast", "front", "hypervisor", "schedule", "snapshot",
                    "state", "telemetry", "vm")),
            Map.entry("cli", Set.of("api", "config", "forecast", "sim", "telemetry")));

    record Use(String file, String from, String to, String subpackage) {
        @Override
        public String toString() {
            return file + " imports io.dormouse." + to + subpackage;
        }
    }

    @Test
    void everyPackageHasDeclaredDependencies() {
        Set<String> undeclared = new TreeSet<>(packages());
        undeclared.removeAll(ALLOWED.keySet());
        assertThat(undeclared)
                .as("packages without a rule: add them to ALLOWED and to the dependency drawing of docs/architecture.md")
                .isEmpty();
    }

    @Test
    void dependenciesPointOneWay() {
        List<Use> wrong = uses().stream()
                .filter(use -> !use.from().isEmpty() && !use.from().equals(use.to()))
                .filter(use -> !ALLOWED.getOrDefault(use.from(), Set.of()).contains(use.to()))
                .toList();
        assertThat(wrong).as("imports against docs/architecture.md").isEmpty();
    }

    @Test
    void onlyTheRootChoosesAHypervisorImplementation() {
        List<Use> wrong = uses().stream()
                .filter(use -> use.to().equals("hypervisor") && !use.subpackage().isEmpty())
                .filter(use -> !use.from().isEmpty() && !use.from().equals("hypervisor"))
                // the simulator runs the fake hypervisor by design
                .filter(use -> !(use.from().equals("sim") && use.subpackage().equals(".fake")))
                .toList();
        assertThat(wrong).as("hypervisor implementations are chosen by the composition root").isEmpty();
    }

    @Test
    void theRulesSeeRealImports() {
        // guards the checks above against a pattern that silently matches nothing
        assertThat(uses()).anyMatch(use -> use.from().equals("vm") && use.to().equals("hypervisor"));
        assertThat(uses()).anyMatch(use -> use.from().isEmpty() && use.to().equals("hypervisor")
                && use.subpackage().equals(".qemu"));
    }

    private static Set<String> packages() {
        try (Stream<Path> entries = Files.list(SOURCES)) {
            return entries.filter(Files::isDirectory)
                    .map(dir -> dir.getFileName().toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Use> uses() {
        List<Use> uses = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                String from = relative.getNameCount() == 1 ? "" : relative.getName(0).toString();
                Matcher matcher = IMPORT.matcher(Files.readString(file));
                while (matcher.find()) {
                    String to = matcher.group(1);
                    uses.add(new Use(relative.toString(), from, to, matcher.group(2)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uses;
    }
}
