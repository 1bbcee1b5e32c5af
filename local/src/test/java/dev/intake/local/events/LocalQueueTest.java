package dev.intake.local.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.intake.app.Deployment;
import dev.intake.local.store.SqliteDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local queue and its event source, driven one batch at a time on a clock the test moves:
 * Lambda's SQS event, its partial batch responses, redelivery after the visibility timeout, the
 * dead-letter queue, send order, and nothing lost when the database is opened again.
 */
class LocalQueueTest {
    private static final Duration VISIBILITY = Duration.ofSeconds(5);
    private static final SqsEventSource.Settings SETTINGS = SqsEventSource.Settings.defaults();

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    private SqliteDatabase database;
    private LocalQueue deadLetters;
    private LocalQueue queue;
    private SqsEventSource events;
    /** What the consumer was given, batch by batch. */
    private final List<SQSEvent> delivered = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        openDatabase();
    }

    private void openDatabase() {
        database = SqliteDatabase.inDirectory(dataDir);
        deadLetters = new LocalQueue(database, "landing-dlq", Deployment.LOCAL, clock, VISIBILITY, null);
        queue = new LocalQueue(database, "landing", Deployment.LOCAL, clock, VISIBILITY,
                new LocalQueue.RedrivePolicy(deadLetters, 5));
        events = new SqsEventSource(queue, Deployment.LOCAL, SETTINGS);
    }

    @AfterEach
    void close() throws Exception {
        events.close();
        database.close();
    }

    /** A consumer that records each batch and reports the messages whose body is in {@code failing} as failed. */
    private Function<SQSEvent, SQSBatchResponse> failing(Set<String> failing) {
        return event -> {
            delivered.add(event);
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage m : event.getRecords()) {
                if (failing.contains(m.getBody())) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                }
            }
            return new SQSBatchResponse(failures);
        };
    }

    private List<String> lastBodies() {
        return delivered.get(delivered.size() - 1).getRecords().stream().map(SQSEvent.SQSMessage::getBody).toList();
    }

    private SqsEventSource.Delivery deliver() {
        return events.deliverBatch().orElseThrow(() -> new AssertionError("nothing was delivered"));
    }

    @Test
    void theEventIsTheOneLambdasSqsEventSourceBuilds() {
        String id = queue.send("test");
        clock.advance(Duration.ofMillis(250));
        events.consumer(failing(Set.of()));
        deliver();

        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).getRecords()).hasSize(1);
        SQSEvent.SQSMessage m = delivered.get(0).getRecords().get(0);
        assertThat(m.getMessageId()).isEqualTo(id);
        assertThat(m.getReceiptHandle()).isNotBlank();
        assertThat(m.getBody()).isEqualTo("test");
        assertThat(m.getMd5OfBody()).isEqualTo("098f6bcd4621d373cade4e832627b4f6");
        long sent = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
        assertThat(m.getAttributes()).containsExactly(Map.entry("ApproximateReceiveCount", "1"),
                Map.entry("SentTimestamp", Long.toString(sent)), Map.entry("SenderId", "000000000000"),
                Map.entry("ApproximateFirstReceiveTimestamp", Long.toString(sent + 250)));
        assertThat(m.getMessageAttributes()).isEmpty();
        assertThat(m.getEventSource()).isEqualTo("aws:sqs");
        assertThat(m.getEventSourceArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:landing");
        assertThat(m.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(queue.messages()).as("deleted once handled").isEmpty();
    }

    @Test
    void messagesComeInSendOrderInBatchesOfTen() {
        for (int i = 0; i < 23; i++) {
            queue.send("m" + i);
        }
        events.consumer(failing(Set.of()));
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        while (events.deliverBatch().isPresent()) {
            List<String> batch = lastBodies();
            sizes.add(batch.size());
            seen.addAll(batch);
        }
        assertThat(sizes).containsExactly(10, 10, 3);
        assertThat(seen).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 23).mapToObj(i -> "m" + i).toList());
    }

    @Test
    void withoutAConsumerMessagesStayQueued() {
        queue.send("waiting");
        assertThat(events.deliverBatch()).isEmpty();
        assertThat(queue.messages()).extracting(LocalQueue.Message::body, LocalQueue.Message::receiveCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("waiting", 0));
    }

    @Test
    void aReportedFailureIsRedeliveredAfterTheVisibilityTimeoutAndDeadLetteredAfterFiveReceives() {
        List<LogRecord> warnings = capture(LocalQueue.class);
        queue.send("a");
        String poison = queue.send("poison");
        queue.send("c");
        events.consumer(failing(Set.of("poison")));

        SqsEventSource.Delivery first = deliver();
        assertThat(lastBodies()).containsExactly("a", "poison", "c");
        assertThat(first.retried()).containsExactly(poison);
        assertThat(queue.messages()).extracting(LocalQueue.Message::body).as("the other two are deleted")
                .containsExactly("poison");
        assertThat(events.deliverBatch()).as("hidden until the visibility timeout ends").isEmpty();
        clock.advance(VISIBILITY.minusMillis(1));
        assertThat(events.deliverBatch()).isEmpty();

        for (int receive = 2; receive <= 5; receive++) {
            clock.advance(VISIBILITY);
            queue.send("later-" + receive);
            deliver();
            assertThat(lastBodies()).as("later messages keep flowing").containsExactly("poison", "later-" + receive);
            SQSEvent.SQSMessage again = delivered.get(delivered.size() - 1).getRecords().get(0);
            assertThat(again.getMessageId()).isEqualTo(poison);
            assertThat(again.getAttributes()).containsEntry("ApproximateReceiveCount", Integer.toString(receive))
                    .containsEntry("ApproximateFirstReceiveTimestamp",
                            Long.toString(Instant.parse("2025-03-01T10:00:00Z").toEpochMilli()));
        }
        assertThat(warnings).isEmpty();

        clock.advance(VISIBILITY);
        queue.send("after");
        deliver();
        assertThat(lastBodies()).as("received 5 times: not a sixth").containsExactly("after");
        assertThat(queue.messages()).isEmpty();
        assertThat(deadLetters.messages()).extracting(LocalQueue.Message::messageId, LocalQueue.Message::body,
                LocalQueue.Message::receiveCount).containsExactly(org.assertj.core.groups.Tuple.tuple(poison, "poison", 5));
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getMessage()).contains(poison, "landing-dlq", "received 5 times",
                "SELECT body FROM queue_messages WHERE id = '" + poison + "'");

        clock.advance(VISIBILITY.multipliedBy(2));
        assertThat(events.deliverBatch()).as("dead letters are not delivered").isEmpty();
    }

    @Test
    void aConsumerThatThrowsFailsTheWholeBatch() {
        queue.send("a");
        queue.send("b");
        events.consumer(event -> {
            delivered.add(event);
            throw new IllegalStateException("trigger broke");
        });
        SqsEventSource.Delivery failed = deliver();
        assertThat(failed.deleted()).isEmpty();
        assertThat(failed.failure()).contains("trigger broke");
        clock.advance(VISIBILITY);
        events.consumer(failing(Set.of()));
        deliver();
        assertThat(delivered.get(1).getRecords()).extracting(m -> m.getAttributes().get("ApproximateReceiveCount"))
                .containsExactly("2", "2");
        assertThat(queue.messages()).isEmpty();
    }

    @Test
    void aFailureNamingNoMessageOfTheBatchFailsTheWholeBatch() {
        queue.send("a");
        queue.send("b");
        for (String bad : new String[] {"no-such-id", "", null}) {
            events.consumer(event -> {
                delivered.add(event);
                return new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure(bad)));
            });
            SqsEventSource.Delivery failed = deliver();
            assertThat(failed.deleted()).as(String.valueOf(bad)).isEmpty();
            assertThat(failed.failure()).contains("no message of the batch");
            assertThat(queue.messages()).hasSize(2);
            clock.advance(VISIBILITY);
        }
    }

    @Test
    void anAnswerWithoutFailuresDeletesTheBatchAsLambdaDoes() {
        // Lambda: a null response, or a null or empty batchItemFailures list, is complete success.
        List<Function<SQSEvent, SQSBatchResponse>> answers = List.of(event -> null, event -> new SQSBatchResponse(),
                event -> new SQSBatchResponse(List.of()));
        for (Function<SQSEvent, SQSBatchResponse> answer : answers) {
            queue.send("x");
            events.consumer(answer);
            assertThat(deliver().deleted()).hasSize(1);
            assertThat(queue.messages()).isEmpty();
        }
    }

    @Test
    void nothingQueuedIsLostWhenTheDatabaseIsOpenedAgain() throws Exception {
        String inFlight = queue.send("in-flight");
        String waiting = queue.send("waiting");
        String dead = deadLetters.send("dead");
        assertThat(queue.receive(1)).extracting(r -> r.message().messageId()).containsExactly(inFlight);
        events.close();
        database.close();

        openDatabase();
        assertThat(queue.messages()).extracting(LocalQueue.Message::messageId, LocalQueue.Message::receiveCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(inFlight, 1),
                        org.assertj.core.groups.Tuple.tuple(waiting, 0));
        assertThat(deadLetters.messages()).extracting(LocalQueue.Message::messageId).containsExactly(dead);

        events.consumer(failing(Set.of()));
        deliver();
        assertThat(lastBodies()).as("the one received before is still hidden").containsExactly("waiting");
        clock.advance(VISIBILITY);
        deliver();
        assertThat(lastBodies()).containsExactly("in-flight");
        assertThat(delivered.get(1).getRecords().get(0).getAttributes()).containsEntry("ApproximateReceiveCount", "2");
        assertThat(queue.messages()).isEmpty();
    }

    @Test
    void aStaleReceiptHandleDeletesNothing() {
        queue.send("a");
        String first = queue.receive(1).get(0).receiptHandle();
        clock.advance(VISIBILITY);
        String second = queue.receive(1).get(0).receiptHandle();
        assertThat(queue.delete(first)).isFalse();
        assertThat(queue.messages()).hasSize(1);
        assertThat(queue.delete(second)).isTrue();
        assertThat(queue.messages()).isEmpty();
    }

    @Test
    void theLoopDeliversWhatIsSentAndStopsOnClose() throws Exception {
        // Real time here: the loop waits for messages and for the batching window.
        SqliteDatabase memory = SqliteDatabase.inMemory();
        LocalQueue live = new LocalQueue(memory, "live", Deployment.LOCAL, java.time.Clock.systemUTC(), VISIBILITY, null);
        SqsEventSource loop = new SqsEventSource(live, Deployment.LOCAL,
                new SqsEventSource.Settings(10, Duration.ofMillis(20), Duration.ofSeconds(1)));
        CountDownLatch three = new CountDownLatch(3);
        List<String> bodies = new CopyOnWriteArrayList<>();
        try {
            loop.start();
            live.send("before the consumer");
            loop.consumer(event -> {
                event.getRecords().forEach(m -> {
                    bodies.add(m.getBody());
                    three.countDown();
                });
                return new SQSBatchResponse(List.of());
            });
            live.send("one");
            live.send("two");
            assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(bodies).containsExactly("before the consumer", "one", "two");
        } finally {
            loop.close();
            memory.close();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("intake-queue-live"));
    }

    private static List<LogRecord> capture(Class<?> type) {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(type.getName());
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return records;
    }
}
