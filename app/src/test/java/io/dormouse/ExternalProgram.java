package io.dormouse;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program an integration test runs, with the Debian package that provides it: a missing program
 * fails the test with the package to install instead of skipping it.
 */
public record ExternalProgram(String name, String debianPackage) {

    public static final ExternalProgram DIG = new ExternalProgram("dig", "bind9-dnsutils");
    public static final ExternalProgram UNBOUND = new ExternalProgram("unbound", "unbound");
    public static final ExternalProgram CURL = new ExternalProgram("curl", "curl");

    /** The program's path on {@code PATH}; fails the test naming the package when there is none. */
    public Path require() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        // Daemons such as unbound live in /usr/sbin, which is not on every user's PATH.
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail(name + " is not installed: install the Debian package " + debianPackage
                + " (apt-get install -y " + debianPackage + "; ./check does it)");
    }

    /** Runs the program with these arguments and returns its output (stdout and stderr). */
    public String run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(require().toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in " + timeout);
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
