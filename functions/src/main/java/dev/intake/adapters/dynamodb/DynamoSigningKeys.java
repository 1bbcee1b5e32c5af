package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.Attr.key;

import dev.intake.core.ports.SigningKeys;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** The deployment's page-token signing key: made once at random, kept in the control table. */
public final class DynamoSigningKeys implements SigningKeys {
    /** The control-table partition of deployment-wide settings; paging functions may write only here. */
    public static final String PARTITION = "CONFIG";

    private final DynamoDbClient dynamo;
    private final String controlTable;

    public DynamoSigningKeys(DynamoDbClient dynamo, String controlTable) {
        this.dynamo = dynamo;
        this.controlTable = controlTable;
    }

    @Override
    public byte[] pageTokenKey() {
        Map<String, AttributeValue> itemKey = key(PARTITION, "page-token-key");
        var existing = dynamo.getItem(r -> r.tableName(controlTable).key(itemKey).consistentRead(true)).item();
        if (existing != null && existing.containsKey("secret")) {
            return existing.get("secret").b().asByteArray();
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Map<String, AttributeValue> item = new HashMap<>(itemKey);
        item.put("secret", AttributeValue.fromB(SdkBytes.fromByteArray(secret)));
        try {
            dynamo.putItem(r -> r.tableName(controlTable).item(item).conditionExpression("attribute_not_exists(pk)"));
            return secret;
        } catch (ConditionalCheckFailedException e) {
            return pageTokenKey(); // another process made it first
        }
    }
}
