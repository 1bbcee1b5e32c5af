package dev.intake.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Deployment;
import dev.intake.core.ports.JobEventPublisher;
import dev.intake.core.ports.JobEventPublisher.JobEvent;
import dev.intake.core.ports.JobEventPublisher.PublishFailedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The control table's stream as Lambda delivers it (dynamodb/control-table-stream.json: a job
 * created, started, its plan recorded and ended, amid its queue entry, its dataset and a chunk
 * result) becomes exactly the job's three state changes, in order; a publish that fails part-way
 * reports the records from the first unpublished one on.
 */
class PublishJobEventsTaskTest {
    private static final Deployment DEPLOYMENT = new Deployment("eu-west-1", "123456789012");
    private final DynamodbEvent stream = EventLoader.loadDynamoDbEvent("dynamodb/control-table-stream.json");
    private final List<JobEvent> published = new ArrayList<>();

    private static List<String> sequenceNumbers(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private static JsonNode detail(JobEvent event) throws Exception {
        return Json.parse(event.detail());
    }

    @Test
    void aJobsStatusWritesBecomeOneEventEachInOrderAndNothingElseDoes() throws Exception {
        StreamsEventResponse response = new PublishJobEventsTask(DEPLOYMENT, published::addAll).handleRequest(stream, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(published).extracting(JobEvent::jobName).containsExactly("users-1", "users-1", "users-1");
        assertThat(published).extracting(JobEvent::jobArn)
                .containsOnly("arn:aws:personalize:eu-west-1:123456789012:dataset-import-job/users-1");
        assertThat(published).extracting(JobEvent::time).containsExactly(Instant.ofEpochMilli(1740823200000L),
                Instant.ofEpochMilli(1740823201500L), Instant.ofEpochMilli(1740823260000L));
        List<String> transitions = new ArrayList<>();
        for (JobEvent event : published) {
            transitions.add(detail(event).path("previousStatus").asText("null") + " -> " + detail(event).path("status").asText());
        }
        assertThat(transitions).containsExactly("null -> PENDING", "PENDING -> IN_PROGRESS", "IN_PROGRESS -> ACTIVE");

        JsonNode created = detail(published.get(0));
        assertThat(created.path("previousStatus").isNull()).isTrue();
        assertThat(created.path("datasetArn").asText()).isEqualTo("arn:aws:personalize:eu-west-1:123456789012:dataset/users");
        assertThat(created.path("startedBy").toString()).isEqualTo("{\"type\":\"S3_EVENT\"}");
        assertThat(created.has("statistics")).isFalse();
        JsonNode ended = detail(published.get(2));
        assertThat(ended.path("statistics").path("recordsAdded").asLong()).isEqualTo(3500);
        assertThat(ended.path("statistics").path("recordsFailed").asLong()).isEqualTo(60);
        assertThat(ended.path("statistics").path("bytes").asLong()).isEqualTo(4096);
        assertThat(ended.path("statisticsLocation").asText()).isEqualTo("s3://intake-results/statistics/users-1.json");
        assertThat(ended.path("updatedAt").asText()).isEqualTo("2025-03-01T10:01:00Z");
    }

    @Test
    void whenPublishingFailsPartWayTheRecordsFromTheFirstUnpublishedOneOnAreReportedSoNoneIsSentTwice() {
        JobEventPublisher firstOnly = events -> {
            published.add(events.get(0));
            throw new PublishFailedException("refused", 1, null);
        };
        StreamsEventResponse response = new PublishJobEventsTask(DEPLOYMENT, firstOnly).handleRequest(stream, null);

        // The second event is the job's start (record 4, sequence number 500): it and every later record.
        assertThat(sequenceNumbers(response)).containsExactly("500", "600", "700", "800", "900");
        assertThat(published).hasSize(1);
    }

    @Test
    void whenNothingIsPublishedTheWholeBatchIsReported() {
        StreamsEventResponse response = new PublishJobEventsTask(DEPLOYMENT, events -> {
            throw new PublishFailedException("bus unavailable", 0, null);
        }).handleRequest(stream, null);
        assertThat(sequenceNumbers(response)).containsExactly("200", "300", "400", "500", "600", "700", "800", "900");
    }

    @Test
    void aJobItemThatCannotBeReadStopsTheBatchThereAfterWhatCameBeforeIsPublished() {
        // The start's new image loses its status: nothing after it may be published before it.
        stream.getRecords().get(3).getDynamodb().getNewImage().remove("status");
        StreamsEventResponse response = new PublishJobEventsTask(DEPLOYMENT, published::addAll).handleRequest(stream, null);
        assertThat(published).hasSize(1);
        assertThat(sequenceNumbers(response)).containsExactly("500", "600", "700", "800", "900");
    }

    @Test
    void anUnexpectedFailureFailsTheInvocationSoLambdaRetriesTheBatch() {
        PublishJobEventsTask task = new PublishJobEventsTask(DEPLOYMENT, events -> {
            throw new IllegalStateException("no credentials");
        });
        assertThatThrownBy(() -> task.handleRequest(stream, null)).hasMessage("no credentials");
    }

    @Test
    void aBatchWithoutJobChangesPublishesNothing() {
        stream.setRecords(new ArrayList<>(List.of(stream.getRecords().get(1), stream.getRecords().get(4))));
        StreamsEventResponse response = new PublishJobEventsTask(DEPLOYMENT, published::addAll).handleRequest(stream, null);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(published).isEmpty();
    }
}
