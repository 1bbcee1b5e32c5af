package dev.intake.local;

import dev.intake.adapters.dynamodb.TableNames;
import java.io.File;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/**
 * DynamoDB Local running in this JVM (no server, no port), in memory or in a directory. Creates
 * Intake's tables with the same keys as the CDK stack.
 */
public final class EmbeddedDynamo implements AutoCloseable {
    public static final TableNames TABLES = new TableNames("intake-control", "intake-records");

    private final AmazonDynamoDBLocal dynamo;
    private final DynamoDbClient client;

    private EmbeddedDynamo(AmazonDynamoDBLocal dynamo) {
        this.dynamo = dynamo;
        this.client = dynamo.dynamoDbClient();
        createTables();
    }

    public static EmbeddedDynamo inMemory() {
        return new EmbeddedDynamo(DynamoDBEmbedded.create(true));
    }

    public static EmbeddedDynamo inDirectory(File directory) {
        if (!directory.isDirectory() && !directory.mkdirs()) {
            throw new IllegalStateException("cannot create " + directory);
        }
        // DynamoDB Local keeps every table in one SQLite file.
        return new EmbeddedDynamo(DynamoDBEmbedded.create(new File(directory, "intake.db"), true));
    }

    public DynamoDbClient client() {
        return client;
    }

    private void createTables() {
        for (String table : List.of(TABLES.control(), TABLES.records())) {
            try {
                client.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(
                                AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                        .keySchema(
                                KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
            } catch (ResourceInUseException e) {
                // kept from an earlier run
            }
        }
    }

    @Override
    public void close() {
        client.close();
        dynamo.shutdown();
    }
}
