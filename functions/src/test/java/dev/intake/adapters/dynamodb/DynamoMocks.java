package dev.intake.adapters.dynamodb;

import static org.mockito.Mockito.RETURNS_DEFAULTS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.withSettings;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A mocked {@link DynamoDbClient} and the responses and errors DynamoDB gives, for the adapters'
 * request tests.
 *
 * <p>The adapters call the {@code Consumer<Builder>} overloads and the paginators; those are default
 * methods of the interface that build the request and call the request-object overload (the
 * paginators call {@code query(QueryRequest)} page by page). The mock runs those for real and
 * answers every other method with Mockito's defaults, so a test stubs and inspects only the
 * request-object overloads: the requests that go on the wire. (A plain {@code CALLS_REAL_METHODS}
 * mock would also run the request-object overloads' bodies, which throw
 * UnsupportedOperationException, as soon as {@code when(...)} touches them.)
 */
final class DynamoMocks {
    private DynamoMocks() {
    }

    static DynamoDbClient client() {
        return mock(DynamoDbClient.class, withSettings().defaultAnswer(invocation -> {
            Method method = invocation.getMethod();
            return builds(method) ? invocation.callRealMethod() : RETURNS_DEFAULTS.answer(invocation);
        }));
    }

    /** A default method that only builds a request (or a paginator) and hands it on. */
    private static boolean builds(Method method) {
        return method.isDefault() && (method.getName().endsWith("Paginator")
                || method.getParameterCount() == 1 && Consumer.class.isAssignableFrom(method.getParameterTypes()[0]));
    }

    /** The requests sent to DynamoDB, in order: the arguments of the request-object overloads called. */
    static List<Object> sent(DynamoDbClient dynamo) {
        return mockingDetails(dynamo).getInvocations().stream()
                .filter(invocation -> !builds(invocation.getMethod()) && invocation.getArguments().length == 1)
                .map(invocation -> invocation.getArgument(0))
                .toList();
    }

    /** The sent requests of one type, in order. */
    static <T> List<T> sent(DynamoDbClient dynamo, Class<T> type) {
        return sent(dynamo).stream().filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * The Query requests sent, in order, without the override configuration the SDK's paginator
     * adds to each page's request (a "PAGINATED" user-agent tag that request equality would see).
     */
    static List<QueryRequest> queries(DynamoDbClient dynamo) {
        return sent(dynamo, QueryRequest.class).stream()
                .map(q -> q.toBuilder().overrideConfiguration((AwsRequestOverrideConfiguration) null).build())
                .toList();
    }

    // --- attribute values, spelled out (not through Attr) so the tests pin the wire format ---

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }

    // --- errors ---

    private static AwsErrorDetails details(String code) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(code).serviceName("DynamoDb").build();
    }

    static ConditionalCheckFailedException conditionFailed() {
        return ConditionalCheckFailedException.builder().message("The conditional request failed").statusCode(400)
                .awsErrorDetails(details("ConditionalCheckFailedException")).build();
    }

    /** A cancelled transaction with one reason code per action ("None" where the action was fine). */
    static TransactionCanceledException cancelled(String... codes) {
        return TransactionCanceledException.builder()
                .message("Transaction cancelled, please refer cancellation reasons for specific reasons "
                        + Arrays.toString(codes))
                .statusCode(400).awsErrorDetails(details("TransactionCanceledException"))
                .cancellationReasons(Arrays.stream(codes).map(code -> CancellationReason.builder().code(code).build())
                        .toList())
                .build();
    }

    /** A cancelled transaction that names no reasons. */
    static TransactionCanceledException cancelledWithoutReasons() {
        return TransactionCanceledException.builder().message("Transaction cancelled").statusCode(400)
                .awsErrorDetails(details("TransactionCanceledException")).build();
    }

    /** Provisioned throughput exceeded after the SDK's own retries (HTTP 400, a throttling code). */
    static DynamoDbException provisionedThroughputExceeded() {
        return ProvisionedThroughputExceededException.builder().message("throughput exceeded").statusCode(400)
                .awsErrorDetails(details("ProvisionedThroughputExceededException")).build();
    }

    /** On-demand throttling (HTTP 400, ThrottlingException). */
    static DynamoDbException throttling() {
        return ThrottlingException.builder().message("throttled").statusCode(400)
                .awsErrorDetails(details("ThrottlingException")).build();
    }

    static DynamoDbException requestLimitExceeded() {
        return RequestLimitExceededException.builder().message("account limit").statusCode(400)
                .awsErrorDetails(details("RequestLimitExceeded")).build();
    }

    static DynamoDbException internalServerError() {
        return InternalServerErrorException.builder().message("internal").statusCode(500)
                .awsErrorDetails(details("InternalServerError")).build();
    }

    static DynamoDbException serviceUnavailable() {
        return (DynamoDbException) DynamoDbException.builder().message("unavailable").statusCode(503)
                .awsErrorDetails(details("ServiceUnavailable")).build();
    }

    /** A request DynamoDB rejects: not transient. */
    static DynamoDbException validation() {
        return (DynamoDbException) DynamoDbException.builder().message("invalid").statusCode(400)
                .awsErrorDetails(details("ValidationException")).build();
    }

    static SdkClientException unreachable() {
        return SdkClientException.create("Unable to execute HTTP request: connection refused");
    }
}
