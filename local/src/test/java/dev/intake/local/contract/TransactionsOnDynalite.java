package dev.intake.local.contract;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * dynalite has no TransactWriteItems. So that the contract suite can run the DynamoDB adapters'
 * two transactional calls (job creation and job end) on it, this client replays a transaction as
 * the conditional single-item writes it consists of, under a lock that every other call of this
 * client shares, and undoes the writes already applied when a condition fails; it then throws
 * TransactionCanceledException with a CancellationReason per action, as DynamoDB does (naming the
 * first failed condition only). Within this JVM that is atomic and isolated. The exact requests
 * the adapters send are asserted separately (DynamoJobStoreRequestsTest), and against a real
 * DynamoDB (INTAKE_CONTRACT_DYNAMODB) this client is not used.
 */
final class TransactionsOnDynalite implements DynamoDbClient {
    private final DynamoDbClient dynamo;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    TransactionsOnDynalite(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    private <T> T shared(Supplier<T> call) {
        lock.readLock().lock();
        try {
            return call.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        List<TransactWriteItem> actions = request.transactItems();
        if (actions.isEmpty() || actions.size() > 100) {
            throw validation("Member must have length less than or equal to 100 and greater than or equal to 1");
        }
        Set<String> targets = new HashSet<>();
        for (TransactWriteItem action : actions) {
            if (!targets.add(tableOf(action) + "/" + keyOf(action))) {
                throw validation("Transaction request cannot include multiple operations on one item");
            }
        }
        lock.writeLock().lock();
        try {
            List<Runnable> undo = new ArrayList<>();
            for (int i = 0; i < actions.size(); i++) {
                try {
                    apply(actions.get(i), undo);
                } catch (ConditionalCheckFailedException e) {
                    for (int u = undo.size() - 1; u >= 0; u--) {
                        undo.get(u).run();
                    }
                    List<CancellationReason> reasons = new ArrayList<>();
                    for (int r = 0; r < actions.size(); r++) {
                        reasons.add(r == i
                                ? CancellationReason.builder().code("ConditionalCheckFailed").message("The conditional request failed").build()
                                : CancellationReason.builder().code("None").build());
                    }
                    throw TransactionCanceledException.builder().cancellationReasons(reasons)
                            .message("Transaction cancelled, please refer cancellation reasons for specific reasons")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build())
                            .statusCode(400).build();
                }
            }
            return TransactWriteItemsResponse.builder().build();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void apply(TransactWriteItem action, List<Runnable> undo) {
        String table = tableOf(action);
        Map<String, AttributeValue> key = keyOf(action);
        Map<String, AttributeValue> before = dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true)).item();
        if (action.put() != null) {
            var p = action.put();
            dynamo.putItem(r -> r.tableName(table).item(p.item()).conditionExpression(p.conditionExpression())
                    .expressionAttributeNames(emptyToNull(p.expressionAttributeNames()))
                    .expressionAttributeValues(emptyToNull(p.expressionAttributeValues())));
        } else if (action.update() != null) {
            var u = action.update();
            dynamo.updateItem(r -> r.tableName(table).key(key).updateExpression(u.updateExpression())
                    .conditionExpression(u.conditionExpression())
                    .expressionAttributeNames(emptyToNull(u.expressionAttributeNames()))
                    .expressionAttributeValues(emptyToNull(u.expressionAttributeValues())));
        } else if (action.delete() != null) {
            var d = action.delete();
            dynamo.deleteItem(r -> r.tableName(table).key(key).conditionExpression(d.conditionExpression())
                    .expressionAttributeNames(emptyToNull(d.expressionAttributeNames()))
                    .expressionAttributeValues(emptyToNull(d.expressionAttributeValues())));
        } else {
            // A condition check writes nothing: put back what is there (or the bare key, removed
            // again below) under the condition, which DynamoDB evaluates before writing.
            var c = action.conditionCheck();
            boolean absent = before == null || before.isEmpty();
            dynamo.putItem(r -> r.tableName(table).item(absent ? key : before).conditionExpression(c.conditionExpression())
                    .expressionAttributeNames(emptyToNull(c.expressionAttributeNames()))
                    .expressionAttributeValues(emptyToNull(c.expressionAttributeValues())));
            if (absent) {
                dynamo.deleteItem(r -> r.tableName(table).key(key));
            }
            return;
        }
        undo.add(() -> {
            if (before == null || before.isEmpty()) {
                dynamo.deleteItem(r -> r.tableName(table).key(key));
            } else {
                dynamo.putItem(r -> r.tableName(table).item(before));
            }
        });
    }

    private static <K, V> Map<K, V> emptyToNull(Map<K, V> map) {
        return map == null || map.isEmpty() ? null : map;
    }

    private static String tableOf(TransactWriteItem a) {
        return a.put() != null ? a.put().tableName() : a.update() != null ? a.update().tableName()
                : a.delete() != null ? a.delete().tableName() : a.conditionCheck().tableName();
    }

    /** Intake's tables are keyed (pk, sk). */
    private static Map<String, AttributeValue> keyOf(TransactWriteItem a) {
        Map<String, AttributeValue> source = a.put() != null ? a.put().item() : a.update() != null ? a.update().key()
                : a.delete() != null ? a.delete().key() : a.conditionCheck().key();
        return Map.of("pk", source.get("pk"), "sk", source.get("sk"));
    }

    private static DynamoDbException validation(String message) {
        return (DynamoDbException) DynamoDbException.builder().message(message).statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").errorMessage(message).build())
                .build();
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        return shared(() -> dynamo.getItem(request));
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        return shared(() -> dynamo.putItem(request));
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        return shared(() -> dynamo.updateItem(request));
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        return shared(() -> dynamo.deleteItem(request));
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        return shared(() -> dynamo.query(request));
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        return shared(() -> dynamo.batchGetItem(request));
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        return shared(() -> dynamo.batchWriteItem(request));
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
        return dynamo.createTable(request);
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
        return dynamo.describeTable(request);
    }

    @Override
    public DeleteTableResponse deleteTable(DeleteTableRequest request) {
        return dynamo.deleteTable(request);
    }

    @Override
    public software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter waiter() {
        return software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter.builder().client(this).build();
    }

    @Override
    public String serviceName() {
        return dynamo.serviceName();
    }

    @Override
    public void close() {
        dynamo.close();
    }
}
