package io.dormouse.snapshot;

import io.dormouse.blob.BlobException;
import io.dormouse.blob.BlobInfo;
import io.dormouse.blob.BlobStore;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/** The manifests in the blob store, one object per VM and version under {@code manifests/<vm>/<version>}. */
final class Manifests {

    private final BlobStore blobs;
    private final ManifestCodec codec;

    Manifests(BlobStore blobs, ManifestCodec codec) {
        this.blobs = blobs;
        this.codec = codec;
    }

    void write(Manifest manifest) {
        blobs.put(ManifestCodec.key(manifest.vm(), manifest.version()), codec.write(manifest));
    }

    /** The verified manifest. @throws SnapshotException NOT_FOUND when the VM has no such version */
    Manifest read(long vm, long version) {
        byte[] bytes;
        try {
            bytes = blobs.get(ManifestCodec.key(vm, version));
        } catch (BlobException e) {
            if (e.kind() == BlobException.Kind.NOT_FOUND) {
                throw new SnapshotException(SnapshotException.Kind.NOT_FOUND, "VM " + vm + " has no snapshot version "
                        + version, e);
            }
            throw e;
        }
        return codec.read(bytes, vm, version);
    }

    /** The VM's versions, oldest first, verified. */
    TreeMap<Long, Manifest> of(long vm) {
        TreeMap<Long, Manifest> found = new TreeMap<>();
        for (long version : numbers(vm).keySet()) {
            found.put(version, read(vm, version));
        }
        return found;
    }

    /** Every VM's versions, verified. */
    Map<Long, TreeMap<Long, Manifest>> all() {
        Map<Long, TreeMap<Long, Manifest>> found = new TreeMap<>();
        for (BlobInfo info : blobs.list(ManifestCodec.PREFIX)) {
            String[] path = info.key().substring(ManifestCodec.PREFIX.length()).split("/");
            OptionalLong vm = number(path[0]);
            OptionalLong version = path.length == 2 ? number(path[1]) : OptionalLong.empty();
            if (vm.isPresent() && version.isPresent()) {
                found.computeIfAbsent(vm.getAsLong(), v -> new TreeMap<>())
                        .put(version.getAsLong(), read(vm.getAsLong(), version.getAsLong()));
            }
        }
        return found;
    }

    /** The number the VM's next version gets. */
    long next(long vm) {
        TreeMap<Long, BlobInfo> numbers = numbers(vm);
        return numbers.isEmpty() ? 1 : numbers.lastKey() + 1;
    }

    boolean exists(long vm, long version) {
        return blobs.exists(ManifestCodec.key(vm, version));
    }

    boolean delete(long vm, long version) {
        return blobs.delete(ManifestCodec.key(vm, version));
    }

    private TreeMap<Long, BlobInfo> numbers(long vm) {
        String prefix = ManifestCodec.PREFIX + vm + "/";
        TreeMap<Long, BlobInfo> found = new TreeMap<>();
        for (BlobInfo info : blobs.list(prefix)) {
            number(info.key().substring(prefix.length())).ifPresent(n -> found.put(n, info));
        }
        return found;
    }

    /** Keys that are not decimal numbers are not ours: they are skipped, never deleted. */
    private static OptionalLong number(String text) {
        if (!text.matches("[1-9][0-9]{0,17}")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(text));
    }
}
