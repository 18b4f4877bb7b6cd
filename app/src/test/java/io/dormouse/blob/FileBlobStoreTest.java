package io.dormouse.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path dir;

    @Override
    protected BlobStore newStore() {
        return FileBlobStore.open(dir.resolve("blobs"));
    }

    @Test
    void objectsAreFilesUnderTheRootAndNoTemporaryFileStays() throws Exception {
        store.put("packs/ab/abc", bytes("pack"));

        Path file = dir.resolve("blobs/packs/ab/abc");
        assertThat(file).hasContent("pack");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void leftoverTemporaryFilesOfACrashedPutAreNotListed() throws Exception {
        store.put("packs/ab/abc", bytes("pack"));
        Files.writeString(dir.resolve("blobs/packs/ab/.tmp-1234"), "half a pack");

        assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("packs/ab/abc");
    }
}
