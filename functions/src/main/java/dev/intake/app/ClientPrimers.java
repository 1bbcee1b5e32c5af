package dev.intake.app;

import dev.intake.api.Json;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * What the Lambda wiring primes before SnapStart's checkpoint (see SnapStartPriming): one harmless
 * call on each SDK client the function's handlers use — a read of an item or object that does not
 * exist, the description of an execution that does not exist — and a JSON round trip through
 * Jackson. An answer that is an error (not found, access denied: not every function may read what
 * the primer asks for) primed the path as well as a success: the request was built, signed, sent
 * and its answer read.
 */
final class ClientPrimers {
    /** The key of the item and object the primers ask for; none is ever stored under it. */
    static final String KEY = "snapstart-priming";

    private ClientPrimers() {
    }

    /** The S3 client's primer is ObjectStorageClients' (the API jar has no S3 client). */
    static void addTo(SnapStartPriming priming, DynamoDbClient dynamo, String controlTable, SfnClient sfn,
                      String stateMachineArn) {
        priming.add("Jackson", () -> Json.write(Json.MAPPER.valueToTree(Map.of("primer", KEY, "items", java.util.List.of(1,
                2.5, true)))));
        priming.add("DynamoDB", answered(() -> dynamo.getItem(b -> b.tableName(controlTable)
                .key(Map.of("pk", AttributeValue.fromS(KEY), "sk", AttributeValue.fromS(KEY))))));
        if (stateMachineArn != null) {
            String execution = stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + KEY;
            priming.add("Step Functions", answered(() -> sfn.describeExecution(b -> b.executionArn(execution))));
        }
    }

    static Runnable answered(Runnable call) {
        return () -> {
            try {
                call.run();
            } catch (AwsServiceException answer) {
                // the service's answer: the whole request path ran
            }
        };
    }
}
