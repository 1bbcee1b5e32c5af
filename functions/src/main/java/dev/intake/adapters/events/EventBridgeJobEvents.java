package dev.intake.adapters.events;

import dev.intake.core.ports.JobEventPublisher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts job state-change events on an EventBridge bus (source {@value JobEventPublisher#SOURCE},
 * detail type {@value JobEventPublisher#DETAIL_TYPE}, the job's ARN as the resource). PutEvents
 * takes up to 10 entries and 256 KB a call and may accept some entries of a call and refuse others
 * (FailedEntryCount); the refused ones are put again with backoff. A request holds at most one event
 * per job, so a job's later event is never accepted before its earlier one.
 */
public final class EventBridgeJobEvents implements JobEventPublisher {
    /** PutEvents' limit of entries per call. */
    static final int MAX_ENTRIES = 10;
    /** PutEvents' limit of a call's entries, counted as EventBridge counts them. */
    static final int MAX_REQUEST_BYTES = 256 * 1024;
    /** Calls for one request's entries before the batch fails (each failed call waits longer). */
    static final int MAX_ATTEMPTS = 5;
    /** The environment variable naming the bus; the account's default bus without it. */
    public static final String BUS_VARIABLE = "EVENT_BUS_NAME";

    private final EventBridgeClient events;
    private final String busName;
    private final LongConsumer sleeper;

    public EventBridgeJobEvents(EventBridgeClient events, String busName) {
        this(events, busName, EventBridgeJobEvents::sleep);
    }

    /** @param sleeper waits between attempts (tests pass one that records instead) */
    EventBridgeJobEvents(EventBridgeClient events, String busName, LongConsumer sleeper) {
        this.events = events;
        this.busName = busName == null || busName.isBlank() ? "default" : busName;
        this.sleeper = sleeper;
    }

    @Override
    public void publish(List<JobEvent> batch) {
        int published = 0;
        for (List<JobEvent> request : requests(batch)) {
            try {
                put(request.stream().map(this::entry).toList());
            } catch (RuntimeException e) {
                throw new PublishFailedException("Could not put " + (batch.size() - published) + " of "
                        + batch.size() + " job events on the event bus " + busName + ": " + e.getMessage(), published, e);
            }
            published += request.size();
        }
    }

    /** The batch cut into PutEvents calls, in order: at most 10 entries, 256 KB and one event per job each. */
    static List<List<JobEvent>> requests(List<JobEvent> batch) {
        List<List<JobEvent>> requests = new ArrayList<>();
        List<JobEvent> current = new ArrayList<>();
        Set<String> jobs = new HashSet<>();
        int bytes = 0;
        for (JobEvent event : batch) {
            int size = size(event);
            if (!current.isEmpty() && (current.size() == MAX_ENTRIES || bytes + size > MAX_REQUEST_BYTES
                    || jobs.contains(event.jobName()))) {
                requests.add(current);
                current = new ArrayList<>();
                jobs.clear();
                bytes = 0;
            }
            current.add(event);
            jobs.add(event.jobName());
            bytes += size;
        }
        if (!current.isEmpty()) {
            requests.add(current);
        }
        return requests;
    }

    /** An entry's size as EventBridge counts it toward the 256 KB: time, source, detail type, detail, resources. */
    static int size(JobEvent event) {
        return 14 + utf8(SOURCE) + utf8(DETAIL_TYPE) + utf8(event.detail()) + utf8(event.jobArn());
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private PutEventsRequestEntry entry(JobEvent event) {
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(SOURCE)
                .detailType(DETAIL_TYPE)
                .resources(event.jobArn())
                .time(event.time())
                .detail(event.detail())
                .build();
    }

    /** Puts the entries; refused ones, or all after a failed call, again with backoff; throws when attempts run out. */
    private void put(List<PutEventsRequestEntry> entries) {
        List<PutEventsRequestEntry> pending = entries;
        for (int attempt = 1; ; attempt++) {
            List<PutEventsRequestEntry> sending = pending;
            String problem;
            try {
                PutEventsResponse response = events.putEvents(PutEventsRequest.builder().entries(sending).build());
                if (response.failedEntryCount() == null || response.failedEntryCount() == 0) {
                    return;
                }
                List<PutEventsRequestEntry> refused = new ArrayList<>();
                List<String> codes = new ArrayList<>();
                for (int i = 0; i < sending.size(); i++) {
                    PutEventsResultEntry result = response.entries().get(i);
                    if (result.errorCode() != null) {
                        refused.add(sending.get(i));
                        codes.add(result.errorCode() + (result.errorMessage() == null ? "" : " (" + result.errorMessage() + ")"));
                    }
                }
                pending = refused;
                problem = refused.size() + " entries refused: " + String.join(", ", codes);
            } catch (SdkException e) {
                problem = e.getMessage();
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw new IllegalStateException(problem + " (after " + attempt + " attempts)");
            }
            sleeper.accept(backoffMillis(attempt));
        }
    }

    /** Exponential backoff with full jitter: up to 100 ms, 200 ms, 400 ms ... capped at 5 s. */
    static long backoffMillis(int attempt) {
        long cap = Math.min(5_000, 100L << Math.min(attempt - 1, 10));
        return ThreadLocalRandom.current().nextLong(cap + 1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
