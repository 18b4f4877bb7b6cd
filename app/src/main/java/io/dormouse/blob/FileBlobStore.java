package io.dormouse.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Objects as files under a local directory. A put writes a temporary file beside the target,
 * forces it to disk, renames it into place and forces the directory, so a put that returned
 * survives a crash, and a crash during a put leaves at most a hidden temporary file.
 */
public final class FileBlobStore implements BlobStore {

    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;
    private final String name;

    private FileBlobStore(Path root) {
        this.root = root;
        this.name = "file blob store " + root;
    }

    /** A store in {@code root}, created if missing. */
    public static FileBlobStore open(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BlobException(BlobException.Kind.FAILED, "file blob store: cannot create directory " + dir
                    + " (" + e + ")", e);
        }
        return new FileBlobStore(dir);
    }

    @Override
    public void put(String key, byte[] content, int length) {
        Objects.checkFromIndexSize(0, length, content.length);
        Path target = path(key);
        Path dir = target.getParent();
        Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            createDirectories(dir);
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content, 0, length);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            forceDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failed("writing", key, e);
        }
    }

    @Override
    public byte[] get(String key) {
        try {
            return Files.readAllBytes(path(key));
        } catch (NoSuchFileException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw failed("reading", key, e);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        BlobKeys.range(name, key, offset, length);
        try (FileChannel in = FileChannel.open(path(key), StandardOpenOption.READ)) {
            long size = in.size();
            if (offset + length > size) {
                throw BlobKeys.outOfRange(name, key, offset, length, size);
            }
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                if (in.read(buffer, offset + buffer.position()) < 0) {
                    throw BlobKeys.outOfRange(name, key, offset, length, size);
                }
            }
            return buffer.array();
        } catch (NoSuchFileException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw failed("reading", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public long size(String key) {
        try {
            return Files.size(path(key));
        } catch (NoSuchFileException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw failed("reading the size of", key, e);
        }
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        BlobKeys.prefix(name, prefix);
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<BlobInfo> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (key.startsWith(prefix) && !hidden(key) && Files.isRegularFile(file)) {
                    found.add(info(key, file));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new BlobException(BlobException.Kind.FAILED, name + ": listing '" + prefix + "' failed (" + e + ")", e);
        }
        found.sort(Comparator.comparing(BlobInfo::key));
        return found;
    }

    @Override
    public int removeUnfinished(Instant before) {
        int removed = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().startsWith(TEMP_PREFIX) && Files.isRegularFile(file)
                        && Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                    removed += Files.deleteIfExists(file) ? 1 : 0;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new BlobException(BlobException.Kind.FAILED, name + ": removing unfinished writes failed (" + e + ")", e);
        }
        return removed;
    }

    @Override
    public boolean delete(String key) {
        Path file = path(key);
        try {
            boolean deleted = Files.deleteIfExists(file);
            if (deleted) {
                forceDirectory(file.getParent());
            }
            return deleted;
        } catch (IOException e) {
            throw failed("deleting", key, e);
        }
    }

    @Override
    public void close() {
        // nothing held open between calls
    }

    @Override
    public String toString() {
        return name;
    }

    private Path path(String key) {
        return root.resolve(BlobKeys.key(name, key));
    }

    private static boolean hidden(String key) {
        return key.startsWith(".") || key.contains("/.");
    }

    private BlobInfo info(String key, Path file) throws IOException {
        return new BlobInfo(key, Files.size(file), Files.getLastModifiedTime(file).toInstant());
    }

    private void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (!parent.equals(root)) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            return;
        }
        // a new directory's entry lives in its parent: force that too, or the rename may not survive
        forceDirectory(parent);
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the temporary file is hidden from listings; a later sweep may remove it
        }
    }

    private BlobException notFound(String key) {
        return new BlobException(BlobException.Kind.NOT_FOUND, name + ": no object '" + key + "'");
    }

    private BlobException failed(String action, String key, IOException e) {
        return new BlobException(BlobException.Kind.FAILED, name + ": " + action + " '" + key + "' failed (" + e + ")", e);
    }
}
