package io.dormouse.snapshot;

import io.dormouse.blob.BlobStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which pack holds each chunk, kept in memory and in a local file that grows by one record per
 * pack. The pack trailers are the truth: the file is only a cache, checked against the pack
 * listing when the store opens and rebuilt from the trailers when it is missing or unreadable.
 */
final class ChunkIndex {

    /** Where a chunk's record is. */
    record Location(String packId, long offset, int length) {
    }

    private static final int MAGIC = 0x444d4958; // "DMIX"

    private final Map<ChunkId, Location> chunks = new ConcurrentHashMap<>();
    private final Set<String> packs = ConcurrentHashMap.newKeySet();
    private final Path file;
    private final String keyId;

    private ChunkIndex(Path file, String keyId) {
        this.file = file;
        this.keyId = keyId;
    }

    /** The index of the packs in {@code blobs}, from {@code file} (null: memory only) where it is still true. */
    static ChunkIndex open(Path file, BlobStore blobs, String keyId) {
        ChunkIndex index = new ChunkIndex(file, keyId);
        Map<String, List<PackEntry>> cached = file == null ? Map.of() : index.load();
        Set<String> stored = PackFormat.list(blobs).stream()
                .map(info -> PackFormat.packId(info.key())).collect(Collectors.toSet());
        boolean changed = !stored.equals(cached.keySet());
        for (String packId : stored) {
            List<PackEntry> entries = cached.get(packId);
            if (entries == null) {
                entries = PackFormat.read(blobs, PackFormat.key(packId)).entries();
            }
            index.put(packId, entries);
        }
        if (changed || (file != null && !Files.exists(file))) {
            index.rewrite();
        }
        return index;
    }

    Location find(ChunkId id) {
        return chunks.get(id);
    }

    boolean contains(ChunkId id) {
        return chunks.containsKey(id);
    }

    /** Records a pack that is durable in the blob store; its chunks are found there from now on. */
    synchronized void add(String packId, List<PackEntry> entries) {
        put(packId, entries);
        if (file == null) {
            return;
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)))) {
            writePack(out, packId, entries);
        } catch (IOException e) {
            throw failed("appending to", e);
        }
    }

    /**
     * Forgets deleted packs. A chunk stored twice may have pointed at a deleted copy: {@code survivors}
     * (the contents of the packs that stay) lets it be found in its surviving one.
     */
    synchronized void remove(Set<String> packIds, Map<String, List<PackEntry>> survivors) {
        packs.removeAll(packIds);
        chunks.values().removeIf(location -> packIds.contains(location.packId()));
        survivors.forEach((packId, entries) -> {
            if (packs.contains(packId)) {
                putIfAbsent(packId, entries);
            }
        });
        rewrite();
    }

    private void put(String packId, List<PackEntry> entries) {
        packs.add(packId);
        for (PackEntry e : entries) {
            chunks.put(e.id(), new Location(packId, e.offset(), e.length()));
        }
    }

    private void putIfAbsent(String packId, List<PackEntry> entries) {
        for (PackEntry e : entries) {
            chunks.putIfAbsent(e.id(), new Location(packId, e.offset(), e.length()));
        }
    }

    private Map<String, List<PackEntry>> load() {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Map<String, List<PackEntry>> loaded = new HashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || !keyId.equals(in.readUTF())) {
                return Map.of();
            }
            while (true) {
                String packId;
                try {
                    packId = in.readUTF();
                } catch (EOFException end) {
                    return loaded;
                }
                int count = in.readInt();
                List<PackEntry> entries = new ArrayList<>(count);
                byte[] id = new byte[ChunkId.BYTES];
                for (int i = 0; i < count; i++) {
                    in.readFully(id);
                    entries.add(new PackEntry(ChunkId.of(id), in.readLong(), in.readInt(), in.readUnsignedByte()));
                }
                loaded.put(packId, entries);
            }
        } catch (IOException | RuntimeException e) {
            // a torn last record or a foreign file: the trailers tell the truth
            return Map.of();
        }
    }

    private void rewrite() {
        if (file == null) {
            return;
        }
        Map<String, List<PackEntry>> byPack = new HashMap<>();
        packs.forEach(p -> byPack.put(p, new ArrayList<>()));
        chunks.forEach((id, l) -> byPack.computeIfAbsent(l.packId(), p -> new ArrayList<>())
                .add(new PackEntry(id, l.offset(), l.length(), 0)));
        Path temp = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
                out.writeInt(MAGIC);
                out.writeUTF(keyId);
                for (Map.Entry<String, List<PackEntry>> pack : byPack.entrySet()) {
                    writePack(out, pack.getKey(), pack.getValue());
                }
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw failed("rewriting", e);
        }
    }

    private static void writePack(DataOutputStream out, String packId, List<PackEntry> entries) throws IOException {
        out.writeUTF(packId);
        out.writeInt(entries.size());
        for (PackEntry e : entries) {
            out.write(e.id().bytes());
            out.writeLong(e.offset());
            out.writeInt(e.length());
            out.writeByte(e.flags());
        }
    }

    private SnapshotException failed(String action, IOException e) {
        return new SnapshotException(SnapshotException.Kind.FAILED, action + " the chunk index " + file + " failed (" + e + ")", e);
    }
}
