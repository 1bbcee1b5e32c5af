package dev.intake.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.crac.Context;
import org.crac.Resource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

class SnapStartPrimingTest {
    /** A checkpoint context that only records what registers with it, as CRaC's global one does in Lambda. */
    static final class RecordingContext extends Context<Resource> {
        final List<Resource> registered = new ArrayList<>();

        @Override
        public void register(Resource resource) {
            registered.add(resource);
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
        }
    }

    @Test
    void theHookRegistersWithTheCheckpointContextAndBecomesTheProcesssOwn() {
        RecordingContext context = new RecordingContext();
        SnapStartPriming priming = SnapStartPriming.register(context);

        assertThat(context.registered).containsExactly(priming);
        assertThat(SnapStartPriming.current()).contains(priming);
        AtomicInteger ran = new AtomicInteger();
        SnapStartPriming.addToCurrent("counter", ran::incrementAndGet);
        assertThat(priming.primerNames()).containsExactly("counter");
    }

    @Test
    void beforeCheckpointRunsEveryPrimerAndAFailingOneDoesNotFailTheCheckpoint() throws Exception {
        SnapStartPriming priming = new SnapStartPriming();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        priming.add("first", () -> ran.add("first"))
                .add("broken", () -> {
                    throw new IllegalStateException("no network");
                })
                .add("missing class", () -> {
                    throw new NoClassDefFoundError("x/Y");
                })
                .add("last", () -> ran.add("last"))
                .add("first", () -> ran.add("a second primer of the same name"));

        priming.beforeCheckpoint(null);

        assertThat(ran).containsExactly("first", "last");
        assertThat(priming.prime()).containsExactly("broken", "missing class");
    }

    @Test
    void theClientPrimersMakeOneCallOnEachClientAndTakeItsErrorAnswerAsPrimed() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + target + " " + body);
            // every service answers "not found" (S3's HEAD: a bare 404)
            boolean head = exchange.getRequestMethod().equals("HEAD");
            byte[] answer = head ? new byte[0] : (target != null && target.startsWith("AWSStepFunctions")
                    ? "{\"__type\": \"ExecutionDoesNotExist\", \"message\": \"no such execution\"}"
                    : "{\"__type\": \"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\", \"message\": \"no table\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(head ? 404 : 400, head ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        stub.start();
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("probe", "probe"));
            var http = UrlConnectionHttpClient.builder().build();
            DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).endpointOverride(endpoint).build();
            S3Client s3 = S3Client.builder().httpClient(http).region(Region.US_EAST_1).credentialsProvider(credentials)
                    .endpointOverride(endpoint).forcePathStyle(true).build();
            SfnClient sfn = SfnClient.builder().httpClient(http).region(Region.US_EAST_1).credentialsProvider(credentials)
                    .endpointOverride(endpoint).build();
            SnapStartPriming priming = new SnapStartPriming();
            ClientPrimers.addTo(priming, dynamo, "intake-control", sfn,
                    "arn:aws:states:us-east-1:000000000000:stateMachine:imports");
            ObjectStorageClients.addPrimer(priming, s3, "intake-results");

            assertThat(priming.primerNames()).containsExactly("Jackson", "DynamoDB", "Step Functions", "S3");
            assertThat(priming.prime()).as("failed primers").isEmpty();

            assertThat(calls).hasSize(3);
            assertThat(calls.get(0)).startsWith("POST / DynamoDB_20120810.GetItem ")
                    .contains("\"TableName\":\"intake-control\"").contains("snapstart-priming");
            assertThat(calls.get(1)).startsWith("POST / AWSStepFunctions.DescribeExecution ")
                    .contains("arn:aws:states:us-east-1:000000000000:execution:imports:snapstart-priming");
            assertThat(calls.get(2)).isEqualTo("HEAD /intake-results/snapstart-priming null ");
        } finally {
            stub.stop(0);
        }
    }

    @Test
    void withoutAStateMachineOrResultsBucketThoseClientsAreNotPrimed() {
        SnapStartPriming priming = new SnapStartPriming();
        ClientPrimers.addTo(priming, mock(DynamoDbClient.class), "control", mock(SfnClient.class), null);
        ObjectStorageClients.addPrimer(priming, mock(S3Client.class), null);
        assertThat(priming.primerNames()).containsExactly("Jackson", "DynamoDB");
    }

    @Test
    void anApiHandlerAddsItsRequestPathWhichAnswersWithoutTouchingStorage() {
        SnapStartPriming priming = SnapStartPriming.register(new RecordingContext());
        Services services = mock(Services.class);
        new dev.intake.personalize.DescribeDatasetImportJobHandler(services);

        assertThat(priming.primerNames()).containsExactly("PERSONALIZE DescribeDatasetImportJob request path");
        assertThat(priming.prime()).isEmpty();
        verifyNoInteractions(services);
    }
}
