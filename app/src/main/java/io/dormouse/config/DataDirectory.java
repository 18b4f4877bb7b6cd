package io.dormouse.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates and checks the data directory before anything writes into it. */
public final class DataDirectory {

    private DataDirectory() {
    }

    /**
     * Creates {@code dir} if needed and checks that it can be written.
     *
     * @throws ConfigException naming {@code data-dir} when it cannot be used
     */
    public static Path prepare(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new ConfigException("data-dir", "value \"" + dir + "\" is invalid: it is a file, not a directory");
        }
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new ConfigException("data-dir", "value \"" + dir + "\" is invalid: cannot create it ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); choose a writable directory");
        }
        if (!Files.isReadable(abs) || !Files.isWritable(abs) || !Files.isExecutable(abs)) {
            throw new ConfigException("data-dir", "value \"" + dir + "\" is invalid: the directory is not readable and writable by this user");
        }
        return abs;
    }
}
