package io.dormouse.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** The blob store contract over HTTP against S3Proxy, a real S3 API server, on loopback. */
class S3BlobStoreIT extends BlobStoreContract {

    @RegisterExtension
    static final S3ProxyServer server = new S3ProxyServer();

    @Override
    protected BlobStore newStore() {
        return S3BlobStore.open(server.newBucket("contract"));
    }

    @Test
    void aPrefixKeepsStoresSharingABucketApart() {
        S3Settings shared = server.newBucket("shared");
        try (BlobStore a = S3BlobStore.open(withPrefix(shared, "a/"));
             BlobStore b = S3BlobStore.open(withPrefix(shared, "b/"))) {
            a.put("manifests/1/1", bytes("a"));
            b.put("manifests/1/1", bytes("b"));

            assertThat(a.get("manifests/1/1")).isEqualTo(bytes("a"));
            assertThat(a.list("")).extracting(BlobInfo::key).containsExactly("manifests/1/1");
        }
    }

    @Test
    void wrongCredentialsFailWithTheStatus() {
        S3Settings good = server.newBucket("creds");
        S3Settings bad = new S3Settings(good.endpoint(), good.region(), good.bucket(), "", good.accessKey(), "wrong");
        try (BlobStore store = S3BlobStore.open(bad)) {
            assertThatThrownBy(() -> store.put("x", bytes("x")))
                    .isInstanceOfSatisfying(BlobException.class, e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.FAILED))
                    .hasMessageContaining("HTTP 403");
        }
    }

    @Test
    void aLargeObjectGoesUpInPartsAndReadsBackWhole() {
        S3Settings s = server.newBucket("multipart");
        S3Settings small = new S3Settings(s.endpoint(), s.region(), s.bucket(), "", s.accessKey(), s.secretKey(),
                S3Settings.MIN_PART);
        byte[] content = new byte[(int) (2.5 * S3Settings.MIN_PART)];
        new Random(7).nextBytes(content);
        try (BlobStore store = S3BlobStore.open(small)) {
            store.put("packs/big", content);
            int prefix = content.length - 1000;
            store.put("packs/prefix", content, prefix);

            assertThat(store.get("packs/big")).isEqualTo(content);
            assertThat(store.get("packs/prefix")).isEqualTo(Arrays.copyOf(content, prefix));
            assertThat(store.size("packs/big")).isEqualTo(content.length);
            int across = (int) S3Settings.MIN_PART - 10;
            assertThat(store.getRange("packs/big", across, 20))
                    .isEqualTo(Arrays.copyOfRange(content, across, across + 20));
        }
    }

    @Test
    void anUploadLeftOpenIsAbortedOnlyOnceItIsOlderThanTheCutoff() {
        S3Settings s = server.newBucket("unfinished");
        try (S3Client raw = server.client(); BlobStore store = S3BlobStore.open(s)) {
            raw.createMultipartUpload(r -> r.bucket(s.bucket()).key("packs/half"));

            assertThat(store.removeUnfinished(Instant.now().minus(Duration.ofHours(1)))).isZero();
            assertThat(store.removeUnfinished(Instant.now().plus(Duration.ofHours(1)))).isEqualTo(1);
            assertThat(raw.listMultipartUploads(r -> r.bucket(s.bucket())).uploads()).isEmpty();
            assertThat(store.list("")).isEmpty();
        }
    }

    @Test
    void aMissingBucketIsNamedInTheError() {
        S3Settings s = server.newBucket("present");
        S3Settings missing = new S3Settings(s.endpoint(), s.region(), "no-such-bucket", "", s.accessKey(), s.secretKey());
        try (BlobStore store = S3BlobStore.open(missing)) {
            assertThatThrownBy(() -> store.put("x", bytes("x")))
                    .isInstanceOf(BlobException.class)
                    .hasMessageContaining("bucket no-such-bucket")
                    .hasMessageContaining("NoSuchBucket");
        }
    }

    @Test
    void anEndpointThatIsDownFailsWithTheAddress() throws Exception {
        S3Settings s = server.newBucket("down");
        URI nothing = S3ProxyServer.nothingListening();
        S3Settings down = new S3Settings(nothing, s.region(), s.bucket(), "", s.accessKey(), s.secretKey());
        try (BlobStore store = S3BlobStore.open(down)) {
            assertThatThrownBy(() -> store.put("x", bytes("x")))
                    .isInstanceOfSatisfying(BlobException.class, e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.FAILED))
                    .hasMessageContaining(nothing.getAuthority());
        }
    }

    private static S3Settings withPrefix(S3Settings s, String prefix) {
        return new S3Settings(s.endpoint(), s.region(), s.bucket(), prefix, s.accessKey(), s.secretKey());
    }
}
