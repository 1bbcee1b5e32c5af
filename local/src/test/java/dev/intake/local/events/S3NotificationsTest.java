package dev.intake.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.app.Deployment;
import dev.intake.local.EmbeddedS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The local S3 endpoint's event notifications, through the stock S3 client: every object created
 * in a notifying bucket gives exactly one message, in S3's event message structure, with the
 * eTag the client got back; nothing else does.
 */
class S3NotificationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "notifying";
    private static final String QUIET = "quiet";

    @TempDir
    Path dataDir;

    private interface Check {
        void run(S3Client s3, List<String> queued) throws Exception;
    }

    /** On both stores `intake local` uses: in memory and in a directory (multipart bookkeeping differs). */
    private void onBothStores(Check check) throws Exception {
        for (boolean inMemory : List.of(true, false)) {
            List<String> queued = new CopyOnWriteArrayList<>();
            S3Notifications notifications = new S3Notifications(Deployment.LOCAL, Clock.systemUTC());
            try (EmbeddedS3 s3 = inMemory ? EmbeddedS3.inMemory(0, Duration.ZERO, notifications)
                    : EmbeddedS3.inDirectory(dataDir, 0, notifications)) {
                s3.createBucket(BUCKET);
                s3.createBucket(QUIET);
                notifications.configure(BUCKET, "landing-created", queued::add);
                assertThat(queued).hasSize(1);
                assertTestEvent(JSON.readTree(queued.remove(0)));
                check.run(s3.client(), queued);
            }
        }
    }

    private static void assertTestEvent(JsonNode message) {
        assertThat(names(message)).containsExactly("Service", "Event", "Time", "Bucket", "RequestId", "HostId");
        assertThat(message.get("Service").asText()).isEqualTo("Amazon S3");
        assertThat(message.get("Event").asText()).isEqualTo("s3:TestEvent");
        assertThat(message.get("Time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(message.get("Bucket").asText()).isEqualTo(BUCKET);
        assertThat(message.get("RequestId").asText()).matches("[0-9A-F]{16}");
        assertThat(message.get("HostId").asText()).isNotEmpty();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** The one record of the one message queued, checked member for member against S3's structure. */
    private static JsonNode onlyRecord(List<String> queued, String eventName) throws Exception {
        assertThat(queued).as("exactly one notification").hasSize(1);
        JsonNode message = JSON.readTree(queued.remove(0));
        assertThat(names(message)).containsExactly("Records");
        assertThat(message.get("Records")).hasSize(1);
        JsonNode record = message.get("Records").get(0);
        assertThat(names(record)).containsExactly("eventVersion", "eventSource", "awsRegion", "eventTime", "eventName",
                "userIdentity", "requestParameters", "responseElements", "s3");
        assertThat(record.get("eventVersion").asText()).isEqualTo("2.1");
        assertThat(record.get("eventSource").asText()).isEqualTo("aws:s3");
        assertThat(record.get("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(record.get("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(record.get("eventName").asText()).isEqualTo("ObjectCreated:" + eventName);
        assertThat(record.at("/userIdentity/principalId").asText()).isEqualTo("AWS:000000000000");
        assertThat(record.at("/requestParameters/sourceIPAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(names(record.get("responseElements"))).containsExactly("x-amz-request-id", "x-amz-id-2");
        assertThat(record.at("/responseElements/x-amz-request-id").asText()).matches("[0-9A-F]{16}");
        JsonNode s3 = record.get("s3");
        assertThat(names(s3)).containsExactly("s3SchemaVersion", "configurationId", "bucket", "object");
        assertThat(s3.get("s3SchemaVersion").asText()).isEqualTo("1.0");
        assertThat(s3.get("configurationId").asText()).isEqualTo("landing-created");
        assertThat(names(s3.get("bucket"))).containsExactly("name", "ownerIdentity", "arn");
        assertThat(s3.at("/bucket/name").asText()).isEqualTo(BUCKET);
        assertThat(s3.at("/bucket/ownerIdentity/principalId").asText()).isEqualTo("000000000000");
        assertThat(s3.at("/bucket/arn").asText()).isEqualTo("arn:aws:s3:::" + BUCKET);
        assertThat(names(s3.get("object"))).containsExactly("key", "size", "eTag", "sequencer");
        assertThat(s3.at("/object/size").isIntegralNumber()).isTrue();
        assertThat(s3.at("/object/sequencer").asText()).matches("[0-9A-F]{18}");
        return s3.get("object");
    }

    private static String unquoted(String eTag) {
        return eTag.replace("\"", "");
    }

    @Test
    void putObjectGivesOneObjectCreatedPutWithTheClientsETagAndSize() throws Exception {
        onBothStores((s3, queued) -> {
            String eTag = s3.putObject(r -> r.bucket(BUCKET).key("items/items.csv"),
                    RequestBody.fromString("ID\nx\ny\n", StandardCharsets.UTF_8)).eTag();
            JsonNode object = onlyRecord(queued, "Put");
            assertThat(object.get("key").asText()).isEqualTo("items/items.csv");
            assertThat(object.get("size").asLong()).isEqualTo(7);
            assertThat(object.get("eTag").asText()).isEqualTo(unquoted(eTag)).doesNotContain("\"");
        });
    }

    @Test
    void aMultipartUploadGivesOneCompleteMultipartUploadAndNothingForItsPartsOrBookkeeping() throws Exception {
        onBothStores((s3, queued) -> {
            String key = "items/big.csv";
            String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            for (int n = 1; n <= 2; n++) {
                int partNumber = n;
                String body = n == 1 ? "a".repeat(5 << 20) : "tail\n";
                String partETag = s3.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(partNumber),
                        RequestBody.fromString(body, StandardCharsets.UTF_8)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(partETag).build());
            }
            assertThat(queued).as("nothing is created before the upload completes").isEmpty();
            String eTag = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key).uploadId(uploadId)
                    .multipartUpload(u -> u.parts(parts))).eTag();
            JsonNode object = onlyRecord(queued, "CompleteMultipartUpload");
            assertThat(object.get("key").asText()).isEqualTo(key);
            assertThat(object.get("size").asLong()).isEqualTo((5 << 20) + 5);
            assertThat(object.get("eTag").asText()).isEqualTo(unquoted(eTag)).endsWith("-2");
        });
    }

    @Test
    void copyObjectGivesOneObjectCreatedCopyForTheDestination() throws Exception {
        onBothStores((s3, queued) -> {
            s3.putObject(r -> r.bucket(QUIET).key("source.csv"), RequestBody.fromString("ID\nz\n", StandardCharsets.UTF_8));
            assertThat(queued).as("a bucket without notifications notifies nothing").isEmpty();
            String eTag = s3.copyObject(r -> r.sourceBucket(QUIET).sourceKey("source.csv").destinationBucket(BUCKET)
                    .destinationKey("copies/copy.csv")).copyObjectResult().eTag();
            JsonNode object = onlyRecord(queued, "Copy");
            assertThat(object.get("key").asText()).isEqualTo("copies/copy.csv");
            assertThat(object.get("size").asLong()).isEqualTo(5);
            assertThat(object.get("eTag").asText()).isEqualTo(unquoted(eTag));
        });
    }

    @Test
    void keysAreEncodedAsS3EncodesThemInEvents() throws Exception {
        onBothStores((s3, queued) -> {
            String key = "in box/my file é+ü (1)=x.csv";
            String eTag = s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString("ID\n", StandardCharsets.UTF_8))
                    .eTag();
            JsonNode object = onlyRecord(queued, "Put");
            assertThat(object.get("key").asText()).isEqualTo("in+box/my+file+%C3%A9%2B%C3%BC+%281%29%3Dx.csv");
            assertThat(java.net.URLDecoder.decode(object.get("key").asText(), StandardCharsets.UTF_8)).isEqualTo(key);
            assertThat(object.get("eTag").asText()).isEqualTo(unquoted(eTag));
        });
    }

    @Test
    void folderMarkersAreNotifiedFailedWritesAreNot() throws Exception {
        onBothStores((s3, queued) -> {
            s3.putObject(r -> r.bucket(BUCKET).key("items/"), RequestBody.empty());
            JsonNode marker = onlyRecord(queued, "Put");
            assertThat(marker.get("key").asText()).isEqualTo("items/");
            assertThat(marker.get("size").asLong()).isZero();

            // Refused by the store: no object, no notification.
            S3Exception refused = catchThrowableOfType(S3Exception.class, () -> s3.putObject(
                    r -> r.bucket(BUCKET).key("items/../x.csv"), RequestBody.fromString("x", StandardCharsets.UTF_8)));
            assertThat(refused.statusCode()).isEqualTo(400);
            S3Exception missing = catchThrowableOfType(S3Exception.class, () -> s3.copyObject(r -> r.sourceBucket(BUCKET)
                    .sourceKey("no-such.csv").destinationBucket(BUCKET).destinationKey("copy.csv")));
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(queued).isEmpty();
        });
    }

    @Test
    void sequencersIncreaseWriteAfterWrite() throws Exception {
        onBothStores((s3, queued) -> {
            List<String> sequencers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                s3.putObject(r -> r.bucket(BUCKET).key("same.csv"), RequestBody.fromString("ID\n", StandardCharsets.UTF_8));
                sequencers.add(onlyRecord(queued, "Put").get("sequencer").asText());
            }
            for (int i = 1; i < sequencers.size(); i++) {
                assertThat(Sequencer.compare(sequencers.get(i), sequencers.get(i - 1))).as(sequencers.toString())
                        .isPositive();
            }
        });
    }
}
