package dev.intake.workflow;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import dev.intake.adapters.dynamodb.JobStreamImages;
import dev.intake.adapters.events.EventBridgeJobEvents;
import dev.intake.api.JobStateChangeEvents;
import dev.intake.app.Deployment;
import dev.intake.app.JobLogging;
import dev.intake.core.JobStateChange;
import dev.intake.core.ports.JobEventPublisher;
import dev.intake.core.ports.JobEventPublisher.JobEvent;
import dev.intake.core.ports.JobEventPublisher.PublishFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Publishes import jobs' state-change events from the control table's stream, the outbox every
 * status write lands in: each job item's write that changes its status becomes one "Import Job State
 * Change" event. Records of a job arrive in the order they were written (one item, one shard), so a
 * job's events are published in order. When publishing fails part-way, the batch reports the first
 * record not published and every later one as failed (Lambda retries from there), so what was
 * published is not sent again; no job is touched either way.
 */
public final class PublishJobEventsTask implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(PublishJobEventsTask.class);

    private final JobStateChangeEvents events;
    private final JobEventPublisher publisher;

    /**
     * For Lambda: the bus named by {@value EventBridgeJobEvents#BUS_VARIABLE}. It reads no table and
     * no bucket (the stream record carries the job), so it builds no Services.
     */
    public PublishJobEventsTask() {
        this(Deployment.fromEnvironment(), FromEnvironment.PUBLISHER);
    }

    public PublishJobEventsTask(Deployment deployment, JobEventPublisher publisher) {
        this.events = new JobStateChangeEvents(deployment);
        this.publisher = publisher;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return context == null ? publish(event) : PowertoolsLogging.withLogging(context, () -> publish(event));
    }

    /** Publishes the batch's job changes; the records not published are the response's failures. */
    public StreamsEventResponse publish(DynamodbEvent event) {
        List<DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<JobEvent> batch = new ArrayList<>();
        List<Integer> recordOfEvent = new ArrayList<>();
        int unreadable = records.size(); // the first record that cannot be read, if any: it and later ones wait
        for (int i = 0; i < records.size(); i++) {
            Optional<JobStateChange> change;
            try {
                change = change(records.get(i));
            } catch (RuntimeException e) {
                LOG.error("Stream record {} is not a job item Intake can read; it and the batch's later records are"
                        + " reported failed", records.get(i).getDynamodb().getSequenceNumber(), e);
                unreadable = i;
                break;
            }
            if (change.isPresent()) {
                batch.add(events.event(change.get()));
                recordOfEvent.add(i);
            }
        }
        int firstFailed = unreadable;
        try {
            publisher.publish(batch);
        } catch (PublishFailedException e) {
            if (e.published() >= batch.size()) {
                throw e; // says all were published yet failed: nothing to tell Lambda but to retry the batch
            }
            firstFailed = recordOfEvent.get(e.published());
            LOG.warn("Published {} of {} job events; the batch's records from {} on will be retried: {}", e.published(),
                    batch.size(), records.get(firstFailed).getDynamodb().getSequenceNumber(), e.getMessage(), e);
            batch = batch.subList(0, e.published());
        }
        batch.forEach(published -> JobLogging.about(published.jobName(), () -> {
            LOG.info("Published {}: {}", JobEventPublisher.DETAIL_TYPE, published.detail());
            return null;
        }));
        List<BatchItemFailure> failures = records.subList(firstFailed, records.size()).stream()
                .map(r -> new BatchItemFailure(r.getDynamodb().getSequenceNumber())).toList();
        return new StreamsEventResponse(failures);
    }

    private static Optional<JobStateChange> change(DynamodbStreamRecord record) {
        var stream = record.getDynamodb();
        if (stream == null || !JobStreamImages.isJob(stream.getKeys())) {
            return Optional.empty();
        }
        return JobStreamImages.change(stream.getOldImage(), stream.getNewImage());
    }

    private static final class FromEnvironment {
        static final JobEventPublisher PUBLISHER = new EventBridgeJobEvents(
                EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.builder().build()).build(),
                System.getenv(EventBridgeJobEvents.BUS_VARIABLE));
    }
}
