package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The local S3 endpoint with the stock S3 client: keys are S3's, taken literally, or refused with
 * a clear error; never stored, read, listed or deleted under another key.
 */
class EmbeddedS3Test {
    private static final String BUCKET = "literal-keys";
    /** Keys whose file path would name another key. */
    private static final List<String> DOT_SEGMENT_KEYS = List.of("p/../x.csv", "p/./y.csv", "p//z.csv", "../up.csv",
            "./dot.csv", "/lead.csv", "q/..", "q/.");

    @TempDir
    Path dataDir;

    private interface Check {
        void run(S3Client s3) throws Exception;
    }

    /** The same check on both stores `intake local` uses: in memory and in a directory. */
    private void onBothStores(Check check) throws Exception {
        try (EmbeddedS3 memory = EmbeddedS3.inMemory(0); EmbeddedS3 directory = EmbeddedS3.inDirectory(dataDir, 0)) {
            for (EmbeddedS3 s3 : List.of(memory, directory)) {
                s3.createBucket(BUCKET);
                check.run(s3.client());
            }
        }
    }

    private static void put(S3Client s3, String key) {
        s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString("stored as " + key, StandardCharsets.UTF_8));
    }

    private static String get(S3Client s3, String key) {
        return s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String();
    }

    private static List<String> keys(S3Client s3, String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key)
                .toList();
    }

    private static void assertRefused(Runnable request, String naming) {
        S3Exception refused = catchThrowableOfType(S3Exception.class, request::run);
        assertThat(refused).as("refused: " + naming).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
        assertThat(refused.awsErrorDetails().errorMessage()).contains("'" + naming + "'");
    }

    @Test
    void keysWithDotOrEmptySegmentsAreRefusedNotStoredUnderAnotherKey() throws Exception {
        onBothStores(s3 -> {
            put(s3, "p/y.csv");
            put(s3, "p/z.csv");
            put(s3, "x.csv");
            for (String key : DOT_SEGMENT_KEYS) {
                assertRefused(() -> put(s3, key), key);
            }
            assertThat(keys(s3, "")).as("nothing stored under a normalised key")
                    .containsExactly("p/y.csv", "p/z.csv", "x.csv");
            assertThat(get(s3, "p/y.csv")).isEqualTo("stored as p/y.csv");

            // Nor read, described or deleted as the object its path resolves to.
            assertRefused(() -> get(s3, "p/./y.csv"), "p/./y.csv");
            assertRefused(() -> get(s3, "p/../x.csv"), "p/../x.csv");
            S3Exception head = catchThrowableOfType(S3Exception.class,
                    () -> s3.headObject(r -> r.bucket(BUCKET).key("p//z.csv")));
            assertThat(head.statusCode()).as("HEAD: refused too, though its answer has no body to say why").isEqualTo(400);
            assertRefused(() -> s3.deleteObject(r -> r.bucket(BUCKET).key("p/./y.csv")), "p/./y.csv");
            assertRefused(() -> s3.copyObject(r -> r.sourceBucket(BUCKET).sourceKey("x.csv")
                    .destinationBucket(BUCKET).destinationKey("p/../x-copy.csv")), "p/../x-copy.csv");
            assertThat(keys(s3, "")).containsExactly("p/y.csv", "p/z.csv", "x.csv");

            // Nor listed: p/../ is not the bucket's root, p// is not p/.
            assertRefused(() -> keys(s3, "p/../"), "p/../");
            assertRefused(() -> keys(s3, "p//"), "p//");
        });
    }

    @Test
    void dotsThatAreNotWholeSegmentsAreKeptAsTheyAre() throws Exception {
        onBothStores(s3 -> {
            List<String> literal = List.of("r/a..b.csv", "s/..data/f.csv", "t/.../f.csv", "u/%2e%2e/f.csv", "v/");
            for (String key : literal) {
                put(s3, key);
            }
            assertThat(keys(s3, "")).containsExactlyElementsOf(literal);
            assertThat(get(s3, "u/%2e%2e/f.csv")).isEqualTo("stored as u/%2e%2e/f.csv");
            assertThat(keys(s3, "s/..")).as("a prefix may end in part of a name").containsExactly("s/..data/f.csv");
            assertThat(keys(s3, "t/...")).containsExactly("t/.../f.csv");
        });
    }

    @Test
    void aKeyThatWouldHaveToBeFileAndFolderIsRefusedNamingBoth() throws Exception {
        onBothStores(s3 -> {
            put(s3, "w");
            put(s3, "d/inner.csv");
            put(s3, "e/");
            assertRefused(() -> put(s3, "w/inner.csv"), "w/inner.csv");
            assertRefused(() -> put(s3, "d"), "d/inner.csv");
            assertRefused(() -> put(s3, "e"), "e/");
            assertThat(keys(s3, "")).containsExactly("d/inner.csv", "e/", "w");
        });
    }

    @Test
    void anImportFromALocationWithDotSegmentsIsRefusedInsteadOfReadingOtherObjects() throws Exception {
        try (LocalRuntime runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0))) {
            ApiClient api = new ApiClient(runtime.apiEndpoint());
            runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("users/a.csv"),
                    RequestBody.fromString("ID\nu1\nu2\n", StandardCharsets.UTF_8));
            String dataset = api.ok("intake", "CreateDataset", Map.of("name", "dots", "keyFields", List.of("ID"),
                    "schema", "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"}]}"))
                    .get("datasetArn").asText();

            // Refused when the job is created (an import location is taken literally, and no object can
            // have such a key here); before that check existed, the job failed on S3's refusal.
            for (String location : List.of("s3://intake-landing/users/x/../", "s3://intake-landing/users/./a.csv")) {
                var reply = api.call("personalize", "CreateDatasetImportJob", Map.of("jobName", "dots-" + location.length(),
                        "datasetArn", dataset, "dataSource", Map.of("dataLocation", location)));
                assertThat(reply.errorType()).as(location).isEqualTo("InvalidInputException");
                assertThat(reply.body().get("message").asText()).contains("has a '.' or '..' segment");
            }
            assertThat(api.call("intake", "GetRecord", Map.of("datasetArn", dataset, "key", Map.of("ID", "u1"))).errorType())
                    .as("users/a.csv was not imported in place of the literal location").isEqualTo("ResourceNotFoundException");
        }
    }
}
