package io.dormouse.hypervisor.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The demo guest (guest/build) built once per test JVM into {@code target/guest-image} of the module. */
public final class GuestImage {

    private static Path built;

    private GuestImage() {
    }

    public static synchronized Path directory() throws IOException, InterruptedException {
        if (built != null) {
            return built;
        }
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isExecutable(root.resolve("guest/build"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("guest/build not found above " + Path.of("").toAbsolutePath());
        }
        Path out = root.resolve("app/target/guest-image");
        Process build = new ProcessBuilder(root.resolve("guest/build").toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
            throw new IllegalStateException("guest/build " + out + " failed (needs apt-get, dpkg-deb and the Debian"
                    + " package busybox-static)");
        }
        built = out;
        return out;
    }
}
