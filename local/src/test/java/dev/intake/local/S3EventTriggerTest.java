package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.intake.app.Services;
import dev.intake.core.ArrivalSettings;
import dev.intake.core.EngineSettings;
import dev.intake.core.ImportTrigger;
import dev.intake.core.ObjectArrival;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.triggers.S3EventTrigger;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The landing queue's consumer fed the SQS event Lambda receives, with S3's notification bodies. */
class S3EventTriggerTest {
    private LocalFixture aws;
    private Services services;

    @BeforeEach
    void start() throws Exception {
        aws = new LocalFixture();
        services = LocalRuntime.services(aws.storage, aws.s3.client(), WorkflowStarter.manual(aws.started::add),
                new EngineSettings(LocalFixture.RESULTS_BUCKET, 1 << 20, LocalFixture.ACCESS)
                        .withArrivals(new ArrivalSettings(LocalFixture.DATA_BUCKET)));
        services.datasets.create("items", "{\"type\":\"record\",\"name\":\"I\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"}]}",
                List.of("ID"));
    }

    @AfterEach
    void stop() throws Exception {
        aws.close();
    }

    @Test
    void aBatchWithAPoisonedMessageReturnsOnlyThatOneAndHandlesTheRest() {
        SQSEvent event = EventLoader.loadSQSEvent("sqs/landing-batch.json");
        SQSBatchResponse response = new S3EventTrigger(services).handleRequest(event, null);

        // message 2 has an S3 record without bucket or object: it alone is received again
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("059f36b4-87a3-44ab-83d2-661975100002");
        // messages 1 and 6 (keys decoded: '+' is a space, %C3%A9 is é) opened one batch; 4 repeats 1;
        // 3 is S3's test event and 5 a removal: nothing
        assertThat(aws.started).hasSize(1);
        String job = aws.started.get(0);
        assertThat(services.jobs.describe(job).trigger().type()).isEqualTo(ImportTrigger.Type.S3_EVENT);
        assertThat(services.arrivals.objects(job)).extracting(ObjectArrival::key)
                .containsExactly("items/day 1/new file.csv", "items/été.csv");
        assertThat(services.arrivals.objects(job).get(0).etag()).isEqualTo("0123456789abcdef0123456789abcdef");

        // the whole batch delivered again (a Lambda retry): nothing new, and the same message fails
        SQSBatchResponse again = new S3EventTrigger(services).handleRequest(event, null);
        assertThat(again.getBatchItemFailures()).hasSize(1);
        assertThat(aws.started).hasSize(1);
        assertThat(services.arrivals.objects(job)).hasSize(2);
    }

    @Test
    void aFailingStoreReturnsTheMessageForAnotherReceive() throws Exception {
        SQSEvent event = EventLoader.loadSQSEvent("sqs/landing-batch.json");
        aws.database.close(); // every store call now fails
        SQSBatchResponse response = new S3EventTrigger(services).handleRequest(event, null);
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("059f36b4-87a3-44ab-83d2-661975100001", "059f36b4-87a3-44ab-83d2-661975100002",
                        "059f36b4-87a3-44ab-83d2-661975100004", "059f36b4-87a3-44ab-83d2-661975100006");
    }
}
