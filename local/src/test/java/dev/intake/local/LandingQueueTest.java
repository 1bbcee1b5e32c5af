package dev.intake.local;

import dev.intake.local.events.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.Deployment;
import dev.intake.app.Services;
import dev.intake.core.ArrivalSettings;
import dev.intake.core.EngineSettings;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.local.events.LocalQueue;
import dev.intake.local.events.SqsEventSource;
import dev.intake.triggers.S3EventTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The landing queue as intake local runs it (and as SQS and Lambda do in AWS), feeding the real S3
 * trigger, one batch at a time on a clock the test moves: a poisoned message is received again
 * alone and parked in the dead-letter queue after 5 receives, while the rest of its batch and the
 * messages after it are imported, each once.
 */
class LandingQueueTest {
    private static final Duration VISIBILITY = Duration.ofSeconds(5);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:00:00Z"));
    private LocalFixture aws;
    private Services services;
    private LocalQueue queue;
    private LocalQueue deadLetters;
    private SqsEventSource events;
    private final List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        aws = new LocalFixture();
        services = LocalRuntime.services(aws.storage, aws.s3.client(), WorkflowStarter.manual(started::add),
                new EngineSettings(LocalFixture.RESULTS_BUCKET, 1 << 20, LocalFixture.ACCESS)
                        .withArrivals(new ArrivalSettings(LocalFixture.DATA_BUCKET, Duration.ofSeconds(5), 500)));
        services.datasets.create("items", "{\"type\":\"record\",\"name\":\"I\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"}]}",
                List.of("ID"));
        deadLetters = new LocalQueue(aws.database, "dlq", Deployment.LOCAL, clock, VISIBILITY, null);
        queue = new LocalQueue(aws.database, "landing", Deployment.LOCAL, clock, VISIBILITY,
                new LocalQueue.RedrivePolicy(deadLetters, 5));
        events = new SqsEventSource(queue, Deployment.LOCAL, SqsEventSource.Settings.defaults());
        S3EventTrigger trigger = new S3EventTrigger(services);
        events.consumer(event -> trigger.handleRequest(event, null));
    }

    @AfterEach
    void stop() throws Exception {
        events.close();
        aws.close();
    }

    private static String notification(String key, String sequencer) {
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
                + "\"s3\":{\"bucket\":{\"name\":\"data\"},\"object\":{\"key\":\"" + key + "\",\"size\":10,"
                + "\"eTag\":\"e\",\"sequencer\":\"" + sequencer + "\"}}}]}";
    }

    @Test
    void aPoisonedMessageIsDeadLetteredAfterItsRetriesWhileTheRestOfItsBatchIsImportedOnce() {
        queue.send(notification("items/a.csv", "0A"));
        String poison = queue.send("{\"Records\": \"not a list\"}");
        queue.send(notification("items/b.csv", "0B"));
        queue.send(notification("items/a.csv", "0A")); // S3 delivered it twice

        var first = events.deliverBatch().orElseThrow();
        assertThat(first.retried()).containsExactly(poison);
        assertThat(started).hasSize(1);
        String job = started.get(0);
        assertThat(services.arrivals.objects(job)).extracting(o -> o.key()).containsExactly("items/a.csv", "items/b.csv");

        for (int receive = 2; receive <= 5; receive++) {
            clock.advance(VISIBILITY);
            queue.send(notification("items/c" + receive + ".csv", "0C" + receive));
            var delivery = events.deliverBatch().orElseThrow();
            assertThat(delivery.retried()).containsExactly(poison);
        }
        clock.advance(VISIBILITY);
        events.deliverBatch();
        assertThat(queue.messages()).isEmpty();
        assertThat(deadLetters.messages()).extracting(LocalQueue.Message::messageId).containsExactly(poison);
        assertThat(started).as("every later arrival joined the one open batch").hasSize(1);
        assertThat(services.arrivals.objects(job)).hasSize(6);
    }

}
