package dev.intake.local.events;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.intake.app.Deployment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lambda's SQS event source mapping, locally: takes batches of up to 10 messages from a
 * {@link LocalQueue}, hands each to the consumer as the {@link SQSEvent} Lambda would build, and
 * applies the answer as Lambda does with {@code ReportBatchItemFailures}: the messages not named in
 * {@code batchItemFailures} are deleted; the named ones, or the whole batch when the consumer
 * throws or names a message that is not in the batch (or none: an empty or null id), stay in the
 * queue and are received again after its visibility timeout (until its redrive policy moves them to
 * the dead-letter queue). A null answer, or one without failures, deletes the whole batch.
 */
public final class SqsEventSource implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SqsEventSource.class.getName());

    /** Most messages in one call: Lambda's default batch size for SQS, and the most one ReceiveMessage returns. */
    public static final int MAX_BATCH_SIZE = 10;

    /**
     * @param batchSize      most messages per call (1 to 10)
     * @param batchingWindow how long a batch that is not full waits for more messages
     * @param idlePoll       longest wait between looks at the queue while nothing wakes the loop
     */
    public record Settings(int batchSize, Duration batchingWindow, Duration idlePoll) {
        public Settings {
            if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
                throw new IllegalArgumentException("The batch size must be 1 to " + MAX_BATCH_SIZE + ", not " + batchSize);
            }
        }

        public static Settings defaults() {
            return new Settings(MAX_BATCH_SIZE, Duration.ofMillis(200), Duration.ofSeconds(1));
        }
    }

    /**
     * What one call did.
     *
     * @param failure why the whole batch stays in the queue; null when the answer was applied
     */
    public record Delivery(List<String> messageIds, List<String> deleted, List<String> retried, String failure) {
    }

    private final LocalQueue queue;
    private final Deployment deployment;
    private final Settings settings;
    private final AtomicReference<Function<SQSEvent, SQSBatchResponse>> consumer = new AtomicReference<>();
    private final Object wake = new Object();
    private boolean woken; // guarded by wake
    private volatile boolean running;
    private Thread loop;

    public SqsEventSource(LocalQueue queue, Deployment deployment, Settings settings) {
        this.queue = queue;
        this.deployment = deployment;
        this.settings = settings;
        queue.onSend(this::wakeUp);
    }

    public LocalQueue queue() {
        return queue;
    }

    /** The function messages go to; until one is set (null: none), messages stay in the queue. */
    public void consumer(Function<SQSEvent, SQSBatchResponse> function) {
        consumer.set(function);
        wakeUp();
    }

    /** Receives one batch of what is visible now and hands it to the consumer; empty if there was nothing to do. */
    public Optional<Delivery> deliverBatch() {
        Function<SQSEvent, SQSBatchResponse> function = consumer.get();
        if (function == null) {
            return Optional.empty();
        }
        List<LocalQueue.Received> batch = queue.receive(settings.batchSize());
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        List<String> ids = batch.stream().map(r -> r.message().messageId()).toList();
        SQSBatchResponse response;
        try {
            response = function.apply(event(batch));
        } catch (Exception | Error e) {
            return Optional.of(wholeBatchFailed(ids, "the consumer threw " + e, e));
        }
        List<SQSBatchResponse.BatchItemFailure> failures = response == null ? null : response.getBatchItemFailures();
        Set<String> failed = new HashSet<>();
        if (failures != null) {
            for (SQSBatchResponse.BatchItemFailure failure : failures) {
                String id = failure == null ? null : failure.getItemIdentifier();
                if (id == null || id.isEmpty() || !ids.contains(id)) {
                    return Optional.of(wholeBatchFailed(ids, "the consumer's batchItemFailures name "
                            + (id == null || id.isEmpty() ? "a null or empty itemIdentifier" : "'" + id + "'")
                            + ", which is no message of the batch " + ids, null));
                }
                failed.add(id);
            }
        }
        List<String> deleted = new ArrayList<>();
        List<String> retried = new ArrayList<>();
        for (LocalQueue.Received received : batch) {
            String id = received.message().messageId();
            if (failed.contains(id)) {
                retried.add(id);
            } else {
                queue.delete(received.receiptHandle());
                deleted.add(id);
            }
        }
        if (!retried.isEmpty()) {
            LOG.info("The consumer of queue " + queue.name() + " reported " + retried + " as failed; they are received"
                    + " again after the visibility timeout");
        }
        return Optional.of(new Delivery(ids, deleted, retried, null));
    }

    private Delivery wholeBatchFailed(List<String> ids, String why, Throwable cause) {
        LOG.log(Level.WARNING, "A batch of queue " + queue.name() + " failed, " + why + "; its messages " + ids
                + " are received again after the visibility timeout", cause);
        return new Delivery(ids, List.of(), ids, why);
    }

    /** The event Lambda's SQS event source builds for these messages. */
    SQSEvent event(List<LocalQueue.Received> batch) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (LocalQueue.Received received : batch) {
            LocalQueue.Message m = received.message();
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(m.messageId());
            record.setReceiptHandle(received.receiptHandle());
            record.setBody(m.body());
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("ApproximateReceiveCount", Integer.toString(m.receiveCount()));
            attributes.put("SentTimestamp", Long.toString(m.sentAt().toEpochMilli()));
            attributes.put("SenderId", deployment.account());
            attributes.put("ApproximateFirstReceiveTimestamp", Long.toString(m.firstReceivedAt().toEpochMilli()));
            record.setAttributes(attributes);
            record.setMessageAttributes(new LinkedHashMap<>());
            record.setMd5OfBody(md5(m.body()));
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queue.arn());
            record.setAwsRegion(deployment.region());
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts delivering in a thread of its own, until {@link #close}. */
    public synchronized void start() {
        if (loop != null) {
            throw new IllegalStateException("The event source of " + queue.name() + " is already started");
        }
        running = true;
        loop = new Thread(this::run, "intake-queue-" + queue.name());
        loop.setDaemon(true);
        loop.start();
    }

    private void run() {
        while (running) {
            try {
                if (consumer.get() == null) {
                    await(settings.idlePoll());
                    continue;
                }
                if (queue.visibleCount() == 0) {
                    await(untilNextVisible());
                    continue;
                }
                fillWindow();
                if (running) {
                    deliverBatch();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The event source of queue " + queue.name() + " failed; it tries again", e);
                try {
                    await(settings.idlePoll());
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    /** Waits up to the batching window while the batch would not be full. */
    private void fillWindow() throws InterruptedException {
        long deadline = System.nanoTime() + settings.batchingWindow().toNanos();
        long remaining;
        while (running && queue.visibleCount() < settings.batchSize()
                && (remaining = deadline - System.nanoTime()) > 0) {
            await(Duration.ofNanos(remaining));
        }
    }

    /** Until the earliest hidden message shows again, or the idle poll, whichever is sooner. */
    private Duration untilNextVisible() {
        Optional<Instant> next = queue.nextVisibleAt();
        if (next.isEmpty()) {
            return settings.idlePoll();
        }
        Duration until = Duration.between(Instant.now(), next.get()).plusMillis(1);
        if (until.isNegative()) {
            return Duration.ofMillis(1); // visible already
        }
        return until.compareTo(settings.idlePoll()) < 0 ? until : settings.idlePoll();
    }

    private void await(Duration duration) throws InterruptedException {
        synchronized (wake) {
            long deadline = System.nanoTime() + duration.toNanos();
            long remaining;
            while (!woken && running && (remaining = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(wake, remaining);
            }
            woken = false;
        }
    }

    private void wakeUp() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    /** Stops the loop; a batch being handled is finished first (waiting up to 30 seconds). */
    @Override
    public void close() throws InterruptedException {
        Thread stopping;
        synchronized (this) {
            running = false;
            stopping = loop;
            loop = null;
        }
        wakeUp();
        if (stopping != null) {
            stopping.join(Duration.ofSeconds(30).toMillis());
            if (stopping.isAlive()) {
                stopping.interrupt();
                stopping.join(Duration.ofSeconds(5).toMillis());
            }
        }
    }
}
