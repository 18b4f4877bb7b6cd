package io.dormouse.blob;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server (S3Proxy over its file-system backend, in a temporary directory) on a free loopback port, with
 * signature V4 authentication, for tests that talk HTTP to S3. Register it as a static JUnit
 * extension: it starts before the class's tests and stops after them.
 */
public final class S3ProxyServer implements BeforeAllCallback, AfterAllCallback {

    private static final String ACCESS_KEY = "dormouse-test";
    private static final String SECRET_KEY = "dormouse-test-secret";
    private static final String REGION = "us-east-1";

    private final AtomicInteger buckets = new AtomicInteger();
    private S3Proxy proxy;
    private URI endpoint;
    private Path root;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        endpoint = URI.create("http://127.0.0.1:" + freePort());
        root = Files.createTempDirectory("s3proxy");
        resume();
    }

    /** Stops serving, as an S3 endpoint that goes down; the buckets stay on disk. */
    public void pause() throws Exception {
        proxy.stop();
    }

    /** Serves again on the same address from the same directory, as an endpoint that comes back. */
    public void resume() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(root.toString()))
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("S3Proxy did not start on " + endpoint + " within 10 s: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        proxy.stop();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The directory under which S3Proxy keeps each bucket as a directory of files. */
    public Path root() {
        return root;
    }

    /** Settings for a new, empty bucket named {@code name-N}. */
    public S3Settings newBucket(String name) {
        String bucket = name + "-" + buckets.incrementAndGet();
        try (S3Client s3 = client()) {
            s3.createBucket(r -> r.bucket(bucket));
        }
        return new S3Settings(endpoint, REGION, bucket, "", ACCESS_KEY, SECRET_KEY);
    }

    /** A plain SDK client of the server, for what the blob store does not do itself; close it. */
    public S3Client client() {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** An address on loopback where nothing listens, as an S3 endpoint that is down. */
    public static URI nothingListening() throws Exception {
        return URI.create("http://127.0.0.1:" + freePort());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
