package io.dormouse.api;

import io.dormouse.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The API's bearer token: configured, or generated once into the data directory with mode 0600. */
public final class ApiToken {

    /** File name of the generated token inside the data directory. */
    public static final String FILE = "api-token";

    private ApiToken() {
    }

    /** The configured token, else the data directory's, generating it at first start. */
    public static String loadOrCreate(Path dataDir, Secret configured) {
        if (configured.isSet()) {
            return configured.value();
        }
        Path file = dataDir.resolve(FILE);
        try {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(Files.createFile(file,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), token + "\n");
            return token;
        } catch (FileAlreadyExistsException e) {
            return read(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API token to " + file, e);
        }
    }

    /**
     * The token generated into {@code dataDir}.
     *
     * @throws UncheckedIOException naming the file and what to do when it is missing or unreadable
     */
    public static String read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IOException(file + " is empty");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("no API token at " + file
                    + "; start the server once (dormouse serve) or set DORMOUSE_TOKEN", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API token " + file + ": " + e.getMessage(), e);
        }
    }
}
