package io.dormouse.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests, from the binaries of Debian's {@code postgresql} package:
 * its own cluster in a temporary directory, on a free loopback port, stopped and deleted on close.
 * PostgreSQL refuses to run as root, so as root the cluster belongs to, and runs as, {@code postgres}.
 */
final class PostgresServer implements AutoCloseable {

    static final String USER = "dormouse";
    static final String PASSWORD = "dormouse-test-password";
    private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");
    private static final String OS_USER = "postgres";

    private final Path bin;
    private final Path dir;
    private final boolean asPostgres;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();
    private final Thread stopAtExit = new Thread(this::stop);
    private boolean stopped;

    private PostgresServer(Path bin, Path dir, boolean asPostgres, int port) {
        this.bin = bin;
        this.dir = dir;
        this.asPostgres = asPostgres;
        this.port = port;
    }

    /** Creates a cluster and starts it; fails naming the Debian package when PostgreSQL is not installed. */
    static PostgresServer start() throws IOException {
        Path bin = newestBinaries();
        boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        Path dir = Files.createTempDirectory("dormouse-pg-");
        Path password = Files.writeString(dir.resolve("password"), PASSWORD, StandardCharsets.UTF_8);
        if (root) {
            giveToPostgres(dir);
            giveToPostgres(password);
        }
        PostgresServer server = new PostgresServer(bin, dir, root, freeLoopbackPort());
        try {
            server.run(List.of(bin.resolve("initdb").toString(), "-D", server.data().toString(), "-U", USER,
                    "--pwfile=" + password, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                    "--no-sync", "--no-instructions"));
            Runtime.getRuntime().addShutdownHook(server.stopAtExit);
            // fsync off: the cluster is thrown away, durability would only slow the tests down.
            server.run(List.of(bin.resolve("pg_ctl").toString(), "-D", server.data().toString(),
                    "-l", dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + server.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c synchronous_commit=off -c full_page_writes=off",
                    "start"));
        } catch (RuntimeException e) {
            try {
                server.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return server;
    }

    /** Settings of a new, empty database on this server. */
    DatabaseSettings createDatabase() {
        String name = "state_" + databases.incrementAndGet();
        try (Connection admin = DriverManager.getConnection(url("postgres"), USER, PASSWORD)) {
            admin.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + url("postgres"), e);
        }
        return new DatabaseSettings(url(name), USER, PASSWORD, Duration.ofSeconds(5));
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or ran: nothing left to unregister.
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop"));
        } finally {
            deleteRecursively(dir);
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        full.addAll(command);
        try {
            Path output = Files.createTempFile("dormouse-pg-command-", ".out");
            try {
                Process process = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("timed out after 120 s: " + String.join(" ", full));
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", full) + " exited with " + process.exitValue()
                            + ":\n" + Files.readString(output) + serverLog());
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", full), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", full), e);
        }
    }

    private String serverLog() throws IOException {
        Path log = dir.resolve("server.log");
        return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    }

    private static Path newestBinaries() throws IOException {
        if (Files.isDirectory(INSTALLATIONS)) {
            try (Stream<Path> majors = Files.list(INSTALLATIONS)) {
                return majors.filter(p -> p.getFileName().toString().matches("\\d+"))
                        .filter(p -> Files.isExecutable(p.resolve("bin/initdb"))
                                && Files.isExecutable(p.resolve("bin/pg_ctl")))
                        .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
                        .map(p -> p.resolve("bin"))
                        .orElseThrow(PostgresServer::missing);
            }
        }
        throw missing();
    }

    private static IllegalStateException missing() {
        return new IllegalStateException("no PostgreSQL server binaries (initdb, pg_ctl) under " + INSTALLATIONS
                + "/<major>/bin: install the Debian package postgresql");
    }

    private static void giveToPostgres(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(lookup.lookupPrincipalByName(OS_USER));
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(OS_USER);
        view.setGroup(group);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
