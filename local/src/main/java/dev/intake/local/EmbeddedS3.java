package dev.intake.local;

import dev.intake.local.events.S3Notifications;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * An S3-compatible server (S3Proxy) in this JVM on 127.0.0.1, keeping objects in memory or in a
 * directory. It accepts any credentials: it is for one machine's own use. Keys that its file store
 * cannot hold literally are refused ({@link LiteralKeysBlobStore}). A listing's pages are cut from one
 * listing of its prefix ({@link PagedListingBlobStore}): S3Proxy's stores read the whole prefix for every
 * page. Buckets may notify object creations as S3 does ({@link S3Notifications}).
 */
public final class EmbeddedS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;

    /** How long a stop waits for requests in flight to finish (S3Proxy's default). */
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(30);

    private EmbeddedS3(BlobStore store, int port, Duration stopWait, S3Notifications notifications) throws Exception {
        BlobStore served = new LiteralKeysBlobStore(new PagedListingBlobStore(store));
        if (notifications != null) {
            served = notifications.wrap(served);
        }
        this.proxy = S3Proxy.builder().blobStore(served)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.NONE, null, null).stopTimeout(stopWait.toMillis()).build();
        try {
            proxy.start();
        } catch (Exception e) {
            try {
                proxy.stop(); // Jetty's threads are not daemons: leave none behind
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    throw new PortInUseException(PortInUseException.Server.S3, port, e);
                }
            }
            throw e;
        }
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        this.client = client(endpoint);
    }

    public static EmbeddedS3 inMemory(int port) throws Exception {
        return inMemory(port, GRACEFUL_STOP);
    }

    /**
     * @param stopWait how long {@link #close} lets requests in flight finish; with any wait at all,
     *                 Jetty's graceful stop takes a second or two even when none is (tests, whose
     *                 requests have all returned when they close it, pass zero)
     */
    public static EmbeddedS3 inMemory(int port, Duration stopWait) throws Exception {
        return inMemory(port, stopWait, null);
    }

    /** In memory, with the event notifications of the buckets {@code notifications} configures. */
    public static EmbeddedS3 inMemory(int port, S3Notifications notifications) throws Exception {
        return inMemory(port, GRACEFUL_STOP, notifications);
    }

    public static EmbeddedS3 inMemory(int port, Duration stopWait, S3Notifications notifications) throws Exception {
        return new EmbeddedS3(new TransientNio2BlobStore(), port, stopWait, notifications);
    }

    public static EmbeddedS3 inDirectory(Path directory, int port) throws Exception {
        return inDirectory(directory, port, null);
    }

    /** In a directory, with the event notifications of the buckets {@code notifications} configures. */
    public static EmbeddedS3 inDirectory(Path directory, int port, S3Notifications notifications) throws Exception {
        Files.createDirectories(directory);
        return new EmbeddedS3(new FilesystemNio2BlobStore(directory.toAbsolutePath().toString()), port, GRACEFUL_STOP,
                notifications);
    }

    /**
     * A stock S3 client for an endpoint like this one (path-style, dummy credentials). It uses the
     * Apache HTTP client: URLConnection reuses connections S3Proxy has closed and then fails with
     * "Unexpected end of file from server" outside the SDK's retries.
     */
    public static S3Client client(URI endpoint) {
        return client(endpoint, List.of());
    }

    /** {@link #client(URI)} with interceptors that see each of its calls (a bench times its listings). */
    static S3Client client(URI endpoint, List<ExecutionInterceptor> interceptors) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.executionInterceptors(interceptors))
                .httpClient(ApacheHttpClient.builder().build()).build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public S3Client client() {
        return client;
    }

    public void createBucket(String bucket) {
        try {
            if (!client.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket))) {
                client.createBucket(r -> r.bucket(bucket));
            }
        } catch (BucketAlreadyOwnedByYouException e) {
            // kept from an earlier run
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}
