package dev.intake.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.intake.app.Services;
import dev.intake.core.ObjectArrival;
import dev.intake.core.ObjectArrivals;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the landing queue: S3 event notifications become arrivals, which the core gathers into
 * one INCREMENTAL job per dataset and window. Answers with partial batch failures: a message that
 * could not be handled (malformed, or the store failed) is returned alone, to be received again and,
 * after the queue's receive limit, parked in the dead-letter queue; the rest of the batch is done.
 * Handling a message again is harmless: an arrival seen before is a duplicate.
 */
public final class S3EventTrigger implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(S3EventTrigger.class);

    private final ObjectArrivals arrivals;

    public S3EventTrigger() {
        this(Services.fromEnvironment());
    }

    public S3EventTrigger(Services services) {
        this.arrivals = services.arrivals;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Map<String, Integer> tally = new TreeMap<>();
        List<SQSEvent.SQSMessage> messages = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage message : messages) {
            try {
                handle(message, tally);
            } catch (S3Notifications.MalformedNotification e) {
                LOG.warn("landing-queue message {} is not an S3 event notification Intake can read: {}; it goes to the "
                        + "dead-letter queue after its last receive", message.getMessageId(), e.getMessage());
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                tally.merge("malformed", 1, Integer::sum);
            } catch (RuntimeException e) {
                LOG.error("landing-queue message {} could not be handled; it is received again", message.getMessageId(), e);
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                tally.merge("failed", 1, Integer::sum);
            }
        }
        LOG.info("landing queue: {} message(s): {}", messages.size(), tally);
        return new SQSBatchResponse(failures);
    }

    private void handle(SQSEvent.SQSMessage message, Map<String, Integer> tally) {
        S3Notifications.Message notification = S3Notifications.parse(message.getBody());
        if (notification.testEvent()) {
            tally.merge("test events", 1, Integer::sum);
            return;
        }
        for (String other : notification.otherEvents()) {
            LOG.info("ignored {} event: Intake imports only created objects", other);
            tally.merge("not object creations", 1, Integer::sum);
        }
        for (ObjectArrival arrival : notification.arrivals()) {
            ObjectArrivals.Outcome outcome = arrivals.arrived(arrival);
            switch (outcome.kind()) {
                case OPENED -> LOG.info("{} opened import job {}", arrival.uri(), outcome.jobName());
                case JOINED -> LOG.info("{} joined import job {}", arrival.uri(), outcome.jobName());
                case DUPLICATE -> LOG.info("{} (sequencer {}) arrived before: not imported again", arrival.uri(),
                        arrival.sequencer());
                case IGNORED -> LOG.info("{} ignored: {}", arrival.uri(), outcome.reason());
            }
            tally.merge(outcome.kind().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
        }
    }
}
