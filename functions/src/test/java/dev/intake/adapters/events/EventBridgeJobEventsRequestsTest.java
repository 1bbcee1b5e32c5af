package dev.intake.adapters.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.intake.core.ports.JobEventPublisher.JobEvent;
import dev.intake.core.ports.JobEventPublisher.PublishFailedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** The exact PutEvents requests, and what happens to entries EventBridge refuses. */
class EventBridgeJobEventsRequestsTest {
    private static final String ARN = "arn:aws:personalize:eu-west-1:123456789012:dataset-import-job/";
    private static final Instant TIME = Instant.parse("2025-03-01T10:00:00Z");

    private final EventBridgeClient client = mock(EventBridgeClient.class);
    private final List<PutEventsRequest> requests = new ArrayList<>();
    private final List<Long> waits = new ArrayList<>();
    private final EventBridgeJobEvents publisher = new EventBridgeJobEvents(client, "intake-events", waits::add);

    private static JobEvent event(String job, int n) {
        return new JobEvent(job, ARN + job, TIME.plusSeconds(n), "{\"jobName\":\"" + job + "\",\"n\":" + n + "}");
    }

    /** Answers each call with the next of {@code results}: null accepts every entry, else the error codes by entry. */
    private void answers(List<List<String>> results) {
        int[] call = {0};
        when(client.putEvents(any(PutEventsRequest.class))).thenAnswer(invocation -> {
            PutEventsRequest request = invocation.getArgument(0);
            requests.add(request);
            List<String> codes = call[0] < results.size() ? results.get(call[0]) : null;
            call[0]++;
            List<PutEventsResultEntry> entries = new ArrayList<>();
            int failed = 0;
            for (int i = 0; i < request.entries().size(); i++) {
                String code = codes == null ? null : codes.get(i);
                if (code == null) {
                    entries.add(PutEventsResultEntry.builder().eventId("id-" + i).build());
                } else {
                    failed++;
                    entries.add(PutEventsResultEntry.builder().errorCode(code).errorMessage("try later").build());
                }
            }
            return PutEventsResponse.builder().failedEntryCount(failed).entries(entries).build();
        });
    }

    private static List<String> details(PutEventsRequest request) {
        return request.entries().stream().map(PutEventsRequestEntry::detail).toList();
    }

    @Test
    void eachEventIsOneEntryWithSourceDetailTypeTheJobAsResourceItsTimeAndDetailOnTheBus() {
        answers(List.of());
        publisher.publish(List.of(event("a", 1), event("b", 2)));

        assertThat(requests).hasSize(1);
        assertThat(requests.get(0)).isEqualTo(PutEventsRequest.builder().entries(
                PutEventsRequestEntry.builder().eventBusName("intake-events").source("intake")
                        .detailType("Import Job State Change").resources(ARN + "a").time(TIME.plusSeconds(1))
                        .detail("{\"jobName\":\"a\",\"n\":1}").build(),
                PutEventsRequestEntry.builder().eventBusName("intake-events").source("intake")
                        .detailType("Import Job State Change").resources(ARN + "b").time(TIME.plusSeconds(2))
                        .detail("{\"jobName\":\"b\",\"n\":2}").build()).build());
        assertThat(waits).isEmpty();
    }

    @Test
    void withoutABusNameTheEventsGoToTheDefaultBus() {
        answers(List.of());
        new EventBridgeJobEvents(client, null, waits::add).publish(List.of(event("a", 1)));
        assertThat(requests.get(0).entries().get(0).eventBusName()).isEqualTo("default");
    }

    @Test
    void callsHoldAtMostTenEntriesAndOneEventPerJobSoAJobsLaterEventIsNeverAcceptedFirst() {
        answers(List.of());
        List<JobEvent> batch = new ArrayList<>();
        IntStream.range(0, 12).forEach(i -> batch.add(event("j" + i, i)));
        batch.add(event("j11", 12)); // a second event of j11
        publisher.publish(batch);

        assertThat(requests).extracting(r -> r.entries().size()).containsExactly(10, 2, 1);
        assertThat(requests.stream().flatMap(r -> details(r).stream()).toList())
                .isEqualTo(batch.stream().map(JobEvent::detail).toList());
    }

    @Test
    void callsStayUnderPutEventsSizeLimit() {
        String big = "x".repeat(100 * 1024);
        List<JobEvent> batch = IntStream.range(0, 3).mapToObj(i -> new JobEvent("j" + i, ARN + "j" + i, TIME, big)).toList();
        assertThat(EventBridgeJobEvents.requests(batch)).extracting(List::size).containsExactly(2, 1);
    }

    @Test
    void refusedEntriesArePutAgainAloneWithBackoffUntilAccepted() {
        answers(List.of(
                java.util.Arrays.asList(null, "ThrottlingException", null, "InternalFailure"),
                java.util.Arrays.asList("InternalFailure", null)));
        publisher.publish(List.of(event("a", 1), event("b", 2), event("c", 3), event("d", 4)));

        assertThat(requests).hasSize(3);
        assertThat(details(requests.get(1))).containsExactly("{\"jobName\":\"b\",\"n\":2}", "{\"jobName\":\"d\",\"n\":4}");
        assertThat(details(requests.get(2))).containsExactly("{\"jobName\":\"b\",\"n\":2}");
        assertThat(waits).hasSize(2).allMatch(w -> w >= 0 && w <= 5_000);
    }

    @Test
    void entriesStillRefusedAfterTheLastAttemptFailTheBatchSayingHowManyEventsWentOut() {
        List<List<String>> refusals = new ArrayList<>();
        refusals.add(null); // the first call (a, b) is accepted
        for (int i = 0; i < EventBridgeJobEvents.MAX_ATTEMPTS; i++) {
            refusals.add(List.of("InternalFailure", "InternalFailure"));
        }
        answers(refusals);
        // a and b fit one call; a's second event needs the next one (with c), which keeps failing
        assertThatThrownBy(() -> publisher.publish(List.of(event("a", 1), event("b", 2), event("a", 3), event("c", 4))))
                .isInstanceOfSatisfying(PublishFailedException.class, e -> {
                    assertThat(e.published()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("InternalFailure", "intake-events");
                });
        assertThat(requests).hasSize(1 + EventBridgeJobEvents.MAX_ATTEMPTS);
        assertThat(details(requests.get(1))).containsExactly("{\"jobName\":\"a\",\"n\":3}", "{\"jobName\":\"c\",\"n\":4}");
        assertThat(waits).hasSize(EventBridgeJobEvents.MAX_ATTEMPTS - 1);
    }

    @Test
    void aCallThatFailsIsTriedAgainThenFailsTheBatch() {
        when(client.putEvents(any(PutEventsRequest.class))).thenAnswer(invocation -> {
            requests.add(invocation.getArgument(0));
            throw EventBridgeException.builder().message("Service unavailable").statusCode(503).build();
        });
        assertThatThrownBy(() -> publisher.publish(List.of(event("a", 1))))
                .isInstanceOfSatisfying(PublishFailedException.class, e -> assertThat(e.published()).isZero());
        assertThat(requests).hasSize(EventBridgeJobEvents.MAX_ATTEMPTS);
    }

    @Test
    void anEmptyBatchCallsNothing() {
        publisher.publish(List.of());
        assertThat(requests).isEmpty();
    }
}
