package io.dormouse.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Each VM's local files under {@code <work dir>/<vm id>}: {@code save-<event>} while a hibernation writes
 * its state, {@code run-<event>} while a restored machine runs from the files it was restored from.
 */
final class WorkDirs {

    private final Path root;

    WorkDirs(Path root) {
        this.root = root;
    }

    Path save(long vm, long event) {
        return root.resolve(Long.toString(vm)).resolve("save-" + event);
    }

    /** A fresh directory to restore into; the VM's earlier run directories go. */
    Path newRun(long vm, long event) {
        dropRun(vm);
        return root.resolve(Long.toString(vm)).resolve("run-" + event);
    }

    void dropSave(long vm, long event) {
        delete(save(vm, event));
    }

    void dropRun(long vm) {
        Path dir = root.resolve(Long.toString(vm));
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> runs = Files.list(dir)) {
            runs.filter(p -> p.getFileName().toString().startsWith("run-")).forEach(WorkDirs::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir, e);
        }
    }

    /** Deletes every VM's files: at start-up nothing runs from them, and a killed server leaves some behind. */
    void dropEverything() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> vms = Files.list(root)) {
            vms.forEach(WorkDirs::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + root, e);
        }
    }

    void dropAll(long vm) {
        delete(root.resolve(Long.toString(vm)));
    }

    private static void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + path, e);
        }
    }
}
