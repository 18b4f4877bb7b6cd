package io.dormouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.Dormouse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dormouse image build} with a stand-in recipe: where it writes, what it prints, how it fails. */
class ImageCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void runsTheRecipeIntoTheDataDirectory() throws Exception {
        Path recipe = recipe("mkdir -p \"$1\" && echo built > \"$1/vmlinuz\"");
        Path data = dir.resolve("data");

        int code = run("image", "build", "--recipe", recipe.toString(), "--data-dir", data.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(data.resolve("images/demo/vmlinuz")).hasContent("built");
        assertThat(out.toString()).contains("building the demo guest image into").contains("ready in");
    }

    @Test
    void reportsAFailingRecipe() throws Exception {
        Path recipe = recipe("exit 3");

        int code = run("image", "build", "--recipe", recipe.toString(), "--output", dir.resolve("x").toString());

        assertThat(code).isEqualTo(Cli.INTERNAL);
        assertThat(err.toString()).contains("failed with exit status 3");
    }

    private Path recipe(String body) throws Exception {
        Path script = dir.resolve("build");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private int run(String... args) {
        CommandLine cl = Cli.commandLine(new Dormouse());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
