package dev.intake.core.ports;

import java.time.Instant;
import java.util.List;

/**
 * Where import jobs' state-change events go: EventBridge in AWS, the local event bus locally. Each
 * job's events are published in the order of its transitions; a failure to publish never changes a
 * job (the events wait in their outbox and are published again).
 */
public interface JobEventPublisher {
    /** The events' source, as EventBridge rules match it. */
    String SOURCE = "intake";
    /** The events' detail type, as EventBridge rules match it. */
    String DETAIL_TYPE = "Import Job State Change";

    /**
     * One event, rendered.
     *
     * @param jobArn the job's ARN: the event's resource
     * @param time   when the transition happened
     * @param detail the event's detail, a JSON object (see README, "Import job state-change events")
     */
    record JobEvent(String jobName, String jobArn, Instant time, String detail) {
    }

    /**
     * Publishes the events in order: an event is published only after every earlier event of the same
     * job was.
     *
     * @throws PublishFailedException when not every event was published; the events before
     *                                {@link PublishFailedException#published()} were
     */
    void publish(List<JobEvent> events);

    /** Not every event of a batch was published; what comes before {@code published} was. */
    final class PublishFailedException extends RuntimeException {
        private final int published;

        public PublishFailedException(String message, int published, Throwable cause) {
            super(message, cause);
            this.published = published;
        }

        /** How many of the batch's first events were published (later ones may have been too). */
        public int published() {
            return published;
        }
    }
}
