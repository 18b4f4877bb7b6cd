package io.dormouse.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    private static S3Settings withPrefix(S3Settings s, String prefix) {
        return new S3Settings(s.endpoint(), s.region(), s.bucket(), prefix, s.accessKey(), s.secretKey());
    }
}
