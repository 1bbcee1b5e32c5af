package dev.intake.local.events;

import dev.intake.app.Deployment;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * The event notifications of the local S3 store: buckets configured here get S3's ObjectCreated
 * message for every object written to them, as S3 sends it to a queue. {@link #wrap} puts this in
 * front of the store S3Proxy serves, so every write through the S3 API is seen.
 */
public final class S3Notifications {
    private static final Logger LOG = Logger.getLogger(S3Notifications.class.getName());

    /** Where one bucket's notifications go, and the id S3 reports as the configuration's. */
    private record Destination(String configurationId, Consumer<String> queue) {
    }

    private final Deployment deployment;
    private final Clock clock;
    private final Sequencer sequencer;
    private final Map<String, Destination> destinations = new ConcurrentHashMap<>();

    public S3Notifications(Deployment deployment, Clock clock) {
        this.deployment = deployment;
        this.clock = clock;
        this.sequencer = new Sequencer(clock);
    }

    /** The store S3Proxy should serve: {@code store}, telling this of every object created. */
    public BlobStore wrap(BlobStore store) {
        return new NotifyingBlobStore(store, this);
    }

    /**
     * From now on, objects created in {@code bucket} are notified to {@code queue}; like S3 when a
     * notification configuration is put, this first sends it an {@code s3:TestEvent} message.
     */
    public void configure(String bucket, String configurationId, Consumer<String> queue) {
        Destination destination = new Destination(configurationId, queue);
        deliver(bucket, destination, S3EventMessages.testEvent(bucket, clock.instant(), request()));
        destinations.put(bucket, destination);
    }

    boolean notifies(String bucket) {
        return destinations.containsKey(bucket);
    }

    /** Called after a write succeeded; the message is S3's (eventName: Put, Copy, CompleteMultipartUpload). */
    void objectCreated(String eventName, String bucket, String key, long size, String eTag, String versionId) {
        Destination destination = destinations.get(bucket);
        if (destination == null) {
            return;
        }
        String message = S3EventMessages.objectCreated(new S3EventMessages.ObjectCreated(eventName, clock.instant(),
                deployment.region(), destination.configurationId(), bucket, deployment.account(), key, size,
                unquoted(eTag), versionId, sequencer.next(), request()));
        deliver(bucket, destination, message);
    }

    /**
     * The object is stored whatever happens to its notification (S3 does not fail a PUT for it); a
     * notification that cannot be queued is logged instead.
     */
    private static void deliver(String bucket, Destination destination, String message) {
        try {
            destination.queue().accept(message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not queue the S3 event notification of bucket " + bucket + " ("
                    + e.getMessage() + "); the message was: " + message, e);
        }
    }

    /**
     * The request's ids as S3 forms them. S3Proxy does not tell its store the ids it answered with
     * or the client's address; the local S3 server listens on 127.0.0.1 only, and takes any
     * credentials, so the caller is reported as the local account.
     */
    private S3EventMessages.Request request() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] host = new byte[48];
        random.nextBytes(host);
        return new S3EventMessages.Request(String.format(Locale.ROOT, "%016X", random.nextLong()),
                Base64.getEncoder().encodeToString(host), "AWS:" + deployment.account(), "127.0.0.1");
    }

    private static String unquoted(String eTag) {
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            return eTag.substring(1, eTag.length() - 1);
        }
        return eTag;
    }
}
