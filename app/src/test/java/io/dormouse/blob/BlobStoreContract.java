package io.dormouse.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link BlobStore} must do; one subclass per backend supplies a fresh, empty store. */
abstract class BlobStoreContract {

    protected BlobStore store;

    /** A new store with no objects. */
    protected abstract BlobStore newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void putThenGetReturnsTheSameBytes() {
        byte[] content = random(100_000, 1);
        store.put("packs/ab/abcdef", content);

        assertThat(store.get("packs/ab/abcdef")).isEqualTo(content);
        assertThat(store.size("packs/ab/abcdef")).isEqualTo(content.length);
        assertThat(store.exists("packs/ab/abcdef")).isTrue();
    }

    @Test
    void aPutOfTheFirstBytesOfABufferStoresThoseBytesOnly() {
        byte[] buffer = random(100_000, 4);
        store.put("packs/cd/cdef", buffer, 60_000);

        assertThat(store.get("packs/cd/cdef")).isEqualTo(Arrays.copyOf(buffer, 60_000));
        assertThat(store.size("packs/cd/cdef")).isEqualTo(60_000);
        assertThatThrownBy(() -> store.put("packs/cd/more", buffer, buffer.length + 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(store.exists("packs/cd/more")).isFalse();
    }

    @Test
    void emptyObjectsAreObjects() {
        store.put("empty", new byte[0]);

        assertThat(store.get("empty")).isEmpty();
        assertThat(store.size("empty")).isZero();
        assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("empty");
    }

    @Test
    void putReplacesAnExistingObject() {
        store.put("manifests/1/1", bytes("first"));
        store.put("manifests/1/1", bytes("second, longer"));

        assertThat(store.get("manifests/1/1")).isEqualTo(bytes("second, longer"));
    }

    @Test
    void rangesReadThePartAskedFor() {
        byte[] content = random(10_000, 2);
        store.put("p", content);

        assertThat(store.getRange("p", 0, 10)).isEqualTo(Arrays.copyOfRange(content, 0, 10));
        assertThat(store.getRange("p", 4321, 1000)).isEqualTo(Arrays.copyOfRange(content, 4321, 5321));
        assertThat(store.getRange("p", 9_990, 10)).isEqualTo(Arrays.copyOfRange(content, 9_990, 10_000));
        assertThat(store.getRange("p", 10_000, 0)).isEmpty();
    }

    @Test
    void rangesBeyondTheEndAreNotFound() {
        store.put("p", random(100, 3));

        assertThatThrownBy(() -> store.getRange("p", 90, 11))
                .isInstanceOfSatisfying(BlobException.class, e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.NOT_FOUND))
                .hasMessageContaining("90+11").hasMessageContaining("100 bytes");
    }

    @Test
    void missingObjectsAreNotFound() {
        assertThat(store.exists("nothing/here")).isFalse();
        for (Runnable call : List.<Runnable>of(() -> store.get("nothing/here"), () -> store.size("nothing/here"),
                () -> store.getRange("nothing/here", 0, 1))) {
            assertThatThrownBy(call::run)
                    .isInstanceOfSatisfying(BlobException.class, e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.NOT_FOUND))
                    .hasMessageContaining("nothing/here");
        }
    }

    @Test
    void listReturnsKeysUnderThePrefixInOrderWithSizeAndTime() {
        Instant before = Instant.now().minus(Duration.ofMinutes(5));
        store.put("manifests/7/2", bytes("bb"));
        store.put("manifests/7/1", bytes("a"));
        store.put("manifests/70/1", bytes("ccc"));
        store.put("packs/00/x", bytes("dddd"));

        List<BlobInfo> vm7 = store.list("manifests/7/");
        assertThat(vm7).extracting(BlobInfo::key).containsExactly("manifests/7/1", "manifests/7/2");
        assertThat(vm7).extracting(BlobInfo::size).containsExactly(1L, 2L);
        assertThat(vm7).allSatisfy(info -> assertThat(info.lastModified()).isAfter(before)
                .isBefore(Instant.now().plus(Duration.ofMinutes(5))));
        assertThat(store.list("manifests/7")).extracting(BlobInfo::key)
                .containsExactly("manifests/7/1", "manifests/7/2", "manifests/70/1");
        assertThat(store.list("")).hasSize(4);
        assertThat(store.list("nothing/")).isEmpty();
    }

    @Test
    void deleteRemovesAndSaysWhetherThereWasAnObject() {
        store.put("a/b", bytes("x"));

        assertThat(store.delete("a/b")).isTrue();
        assertThat(store.delete("a/b")).isFalse();
        assertThat(store.exists("a/b")).isFalse();
        assertThat(store.list("a/")).isEmpty();
    }

    @Test
    void keysThatCouldEscapeOrHideAreRefused() {
        for (String bad : new String[] {"../etc/passwd", "/abs", "a//b", ".hidden", "a/.tmp-x", "a/", "", "sp ace"}) {
            assertThatThrownBy(() -> store.put(bad, bytes("x")))
                    .isInstanceOfSatisfying(BlobException.class, e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.INVALID))
                    .hasMessageContaining("key must be");
        }
    }

    @Test
    void concurrentPutsOfDistinctKeysAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                done.add(pool.submit(() -> store.put("c/" + (n % 3) + "/" + n, random(5_000, n))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(store.list("c/")).hasSize(16);
        assertThat(store.get("c/2/5")).isEqualTo(random(5_000, 5));
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
