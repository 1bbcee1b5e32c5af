package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.Attr.key;
import static dev.intake.adapters.dynamodb.Attr.n;
import static dev.intake.adapters.dynamodb.Attr.s;

import dev.intake.core.ChunkResult;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.ImportTrigger;
import dev.intake.core.IntakeException;
import dev.intake.core.JobStatus;
import dev.intake.core.ObjectArrival;
import dev.intake.core.RecordCounts;
import dev.intake.core.RowError;
import dev.intake.core.TransientImportException;
import dev.intake.core.ports.JobStore;
import dev.intake.core.ports.Page;
import dev.intake.core.stats.FieldStatistics;
import dev.intake.core.stats.FieldSummaries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Jobs, their dataset queues, chunk results and corrections in the control table. */
public final class DynamoJobStore implements JobStore {
    private static final String UNFINISHED = "#status IN (:pending, :running)";
    /** The statuses a job ends STOPPED from. */
    private static final String STOPPABLE = "#status IN (:pending, :stopping)";

    /** Tries of a transaction cancelled only by contention (TransactionConflict, ThrottlingError). */
    static final int MAX_TRANSACTION_ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String table;
    private final java.util.function.LongConsumer sleeper;

    public DynamoJobStore(DynamoDbClient dynamo, String controlTable) {
        this(dynamo, controlTable, DynamoCalls::sleep);
    }

    /** @param sleeper waits between transaction attempts (tests pass one that records instead) */
    DynamoJobStore(DynamoDbClient dynamo, String controlTable, java.util.function.LongConsumer sleeper) {
        this.dynamo = dynamo;
        this.table = controlTable;
        this.sleeper = sleeper;
    }


    @Override
    public void create(ImportJob job) {
        List<TransactWriteItem> actions = new ArrayList<>(createActions(job));
        actions.addAll(listingActions(job));
        try {
            transact(actions);
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failedCondition(reasons, 0)) {
                throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Import job '" + job.name() + "' already exists");
            }
            if (failedCondition(reasons, 2)) {
                throw IntakeException.notFound("Dataset '" + job.datasetName() + "' does not exist or is being deleted");
            }
            throw e;
        }
    }

    private List<TransactWriteItem> createActions(ImportJob job) {
        return List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(toItem(job))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(queueItem(job))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key(ControlKeys.DATASETS_PK, job.datasetName()))
                        .updateExpression("SET activeJobs = activeJobs + :one")
                        .conditionExpression("attribute_exists(pk) AND attribute_not_exists(deletion)")
                        .expressionAttributeValues(Map.of(":one", n(1)))).build());
    }

    /**
     * The job's entries in the listings of all jobs and of its dataset (last in a creating
     * transaction, so the positions of the other actions, which name cancellation reasons, stay).
     */
    private List<TransactWriteItem> listingActions(ImportJob job) {
        String sk = ControlKeys.queueSk(job.createdAt().toEpochMilli(), job.name());
        return List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of("pk", s(ControlKeys.JOB_LIST_PK),
                        "sk", s(sk), "jobName", s(job.name())))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of(
                        "pk", s(ControlKeys.jobListPk(job.datasetName())), "sk", s(sk), "jobName", s(job.name())))).build());
    }

    @Override
    public Page<ImportJob> listJobs(String datasetName, String after, int limit) {
        String pk = datasetName == null ? ControlKeys.JOB_LIST_PK : ControlKeys.jobListPk(datasetName);
        var response = DynamoCalls.call(() -> dynamo.query(r -> {
            r.tableName(table).keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk)))
                    .consistentRead(true).limit(limit);
            if (after != null) {
                r.exclusiveStartKey(key(pk, after));
            }
        }));
        List<ImportJob> jobs = new ArrayList<>();
        for (var entry : response.items()) {
            find(Attr.str(entry, "jobName")).ifPresent(jobs::add);
        }
        String last = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get("sk").s() : null;
        return new Page<>(jobs, last);
    }

    @Override
    public Optional<OpenBatch> openBatch(String batchKey) {
        var item = DynamoCalls.call(() -> dynamo.getItem(r -> r.tableName(table)
                .key(key(ControlKeys.batchPk(batchKey), ControlKeys.OPEN_BATCH_SK)).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(new OpenBatch(Attr.str(item, "job"),
                Attr.time(item, "until"), (int) Attr.num(item, "objects")));
    }

    /**
     * One transaction: the job as {@link #create} writes it, the open-batch item (only if none is
     * open), the key's latest arrival (only if this one is later) and the batch's object.
     */
    @Override
    public Admission openBatch(String batchKey, ImportJob job, java.time.Instant until, ObjectArrival first) {
        Map<String, AttributeValue> batch = new HashMap<>(key(ControlKeys.batchPk(batchKey), ControlKeys.OPEN_BATCH_SK));
        batch.put("job", s(job.name()));
        batch.put("until", Attr.time(until));
        batch.put("objects", n(1));
        List<TransactWriteItem> actions = new ArrayList<>(createActions(job));
        actions.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(batch)
                .conditionExpression("attribute_not_exists(pk)")).build());
        actions.addAll(arrivalActions(job.name(), first));
        actions.addAll(listingActions(job));
        try {
            transact(actions);
            return Admission.ADDED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failedCondition(reasons, 3)) {
                return Admission.CLOSED;
            }
            if (failedCondition(reasons, 4)) {
                return Admission.DUPLICATE;
            }
            if (failedCondition(reasons, 0)) {
                throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Import job '" + job.name() + "' already exists");
            }
            if (failedCondition(reasons, 2)) {
                throw IntakeException.notFound("Dataset '" + job.datasetName() + "' does not exist or is being deleted");
            }
            throw e;
        }
    }

    @Override
    public Admission addToBatch(String batchKey, String job, ObjectArrival arrival, int maxObjects) {
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(key(ControlKeys.batchPk(batchKey), ControlKeys.OPEN_BATCH_SK))
                // OBJECTS is a reserved word in expressions
                .updateExpression("SET #objects = #objects + :one")
                .conditionExpression("#job = :job AND #objects < :max")
                .expressionAttributeNames(Map.of("#objects", "objects", "#job", "job"))
                .expressionAttributeValues(Map.of(":one", n(1), ":job", s(job), ":max", n(maxObjects)))).build());
        actions.addAll(arrivalActions(job, arrival));
        try {
            transact(actions);
            return Admission.ADDED;
        } catch (TransactionCanceledException e) {
            if (failedCondition(e.cancellationReasons(), 0)) {
                return Admission.CLOSED;
            }
            if (failedCondition(e.cancellationReasons(), 1)) {
                return Admission.DUPLICATE;
            }
            throw e;
        }
    }

    /** The key's latest arrival (conditioned on being later) and the batch's object version. */
    private List<TransactWriteItem> arrivalActions(String job, ObjectArrival arrival) {
        Map<String, AttributeValue> latest = new HashMap<>(key(ControlKeys.arrivalPk(arrival.bucket(), arrival.key()),
                ControlKeys.LATEST_ARRIVAL_SK));
        latest.put("sequencer", s(arrival.sequencer()));
        latest.put("job", s(job));
        Map<String, AttributeValue> object = objectItem(job, arrival);
        return List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(latest)
                        // sequencers are normalized to one width, so string order is S3's order
                        .conditionExpression("attribute_not_exists(pk) OR sequencer < :sequencer")
                        .expressionAttributeValues(Map.of(":sequencer", s(arrival.sequencer())))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(object)).build());
    }

    @Override
    public void closeBatch(String batchKey, String job) {
        try {
            DynamoCalls.run(() -> dynamo.deleteItem(r -> r.tableName(table)
                    .key(key(ControlKeys.batchPk(batchKey), ControlKeys.OPEN_BATCH_SK))
                    .conditionExpression("#job = :job")
                    .expressionAttributeNames(Map.of("#job", "job"))
                    .expressionAttributeValues(Map.of(":job", s(job)))));
        } catch (ConditionalCheckFailedException closedAlready) {
            // another job's batch, or none: nothing to close
        }
    }

    @Override
    public void putJobObjects(String job, List<ObjectArrival> objects) {
        // One PutItem each (the functions that start runs may write control items, not batch them);
        // a put again writes the same item.
        for (ObjectArrival object : objects) {
            DynamoCalls.run(() -> dynamo.putItem(r -> r.tableName(table).item(objectItem(job, object))));
        }
    }

    private static Map<String, AttributeValue> objectItem(String job, ObjectArrival arrival) {
        Map<String, AttributeValue> object = new HashMap<>(key(ControlKeys.jobPk(job),
                ControlKeys.objectSk(arrival.bucket(), arrival.key())));
        object.put("bucket", s(arrival.bucket()));
        object.put("key", s(arrival.key()));
        object.put("size", n(arrival.size()));
        if (arrival.etag() != null) {
            object.put("etag", s(arrival.etag()));
        }
        if (arrival.versionId() != null) {
            object.put("versionId", s(arrival.versionId()));
        }
        object.put("sequencer", s(arrival.sequencer()));
        return object;
    }

    @Override
    public List<ObjectArrival> batchObjects(String job) {
        List<ObjectArrival> objects = new ArrayList<>();
        queryJobPartition(job, ControlKeys.OBJECT_PREFIX, item -> objects.add(new ObjectArrival(Attr.str(item, "bucket"),
                Attr.str(item, "key"), Attr.num(item, "size"), Attr.str(item, "etag"), Attr.str(item, "versionId"),
                Attr.str(item, "sequencer"))));
        return objects;
    }

    /**
     * TransactWriteItems, tried again with backoff while it is cancelled only because another
     * transaction touched the same items or throttling (no condition failed); a failed condition,
     * or conflicts that outlast the attempts, reach the caller as TransactionCanceledException.
     */
    void transact(List<TransactWriteItem> actions) {
        for (int attempt = 1; ; attempt++) {
            try {
                DynamoCalls.run(() -> dynamo.transactWriteItems(r -> r.transactItems(actions)));
                return;
            } catch (TransactionCanceledException e) {
                if (attempt >= MAX_TRANSACTION_ATTEMPTS || !onlyContention(e.cancellationReasons())) {
                    throw e;
                }
                sleeper.accept(backoffMillis(attempt));
            }
        }
    }

    private static boolean onlyContention(List<CancellationReason> reasons) {
        if (reasons == null || reasons.isEmpty()) {
            return false;
        }
        boolean contention = false;
        for (CancellationReason reason : reasons) {
            String code = reason.code();
            if ("TransactionConflict".equals(code) || "ThrottlingError".equals(code)) {
                contention = true;
            } else if (code != null && !"None".equals(code)) {
                return false;
            }
        }
        return contention;
    }

    /** Exponential backoff with full jitter: up to 50 ms, 100 ms, 200 ms ... capped at 2 s. */
    static long backoffMillis(int attempt) {
        long cap = Math.min(2_000, 50L << Math.min(attempt - 1, 10));
        return java.util.concurrent.ThreadLocalRandom.current().nextLong(cap + 1);
    }

    private static boolean failedCondition(List<CancellationReason> reasons, int index) {
        return reasons != null && reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private Map<String, AttributeValue> queueItem(ImportJob job) {
        Map<String, AttributeValue> item = new HashMap<>(key(ControlKeys.queuePk(job.datasetName()),
                ControlKeys.queueSk(job.createdAt().toEpochMilli(), job.name())));
        item.put("jobName", s(job.name()));
        return item;
    }

    @Override
    public Optional<ImportJob> find(String name) {
        var item = DynamoCalls.call(() -> dynamo.getItem(r -> r.tableName(table)
                .key(key(ControlKeys.jobPk(name), ControlKeys.JOB_SK)).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toJob(item));
    }

    @Override
    public List<String> unfinished() {
        // Datasets with unfinished jobs say so (activeJobs); only their queues are read: queries of
        // two small partitions' worth, never a scan of the table.
        List<String> names = new ArrayList<>();
        QueryRequest busyDatasets = QueryRequest.builder().tableName(table).keyConditionExpression("pk = :pk")
                .filterExpression("activeJobs > :zero")
                .expressionAttributeValues(Map.of(":pk", s(ControlKeys.DATASETS_PK), ":zero", n(0)))
                .projectionExpression("#name").expressionAttributeNames(Map.of("#name", "name"))
                .consistentRead(true).build();
        DynamoCalls.run(() -> {
            for (Map<String, AttributeValue> dataset : dynamo.queryPaginator(busyDatasets).items()) {
                QueryRequest queue = QueryRequest.builder().tableName(table).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(ControlKeys.queuePk(Attr.str(dataset, "name")))))
                        .consistentRead(true).build();
                dynamo.queryPaginator(queue).items().forEach(item -> names.add(Attr.str(item, "jobName")));
            }
        });
        return names;
    }

    @Override
    public Optional<String> queueHead(String datasetName) {
        var items = DynamoCalls.call(() -> dynamo.query(r -> r.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(ControlKeys.queuePk(datasetName))))
                .consistentRead(true).limit(1))).items();
        return items.isEmpty() ? Optional.empty() : Optional.of(Attr.str(items.get(0), "jobName"));
    }

    @Override
    public boolean transition(String name, JobStatus from, JobStatus to, java.time.Instant when) {
        if (!from.canMoveTo(to) || to.isTerminal()) {
            throw new IllegalArgumentException("use finish() to end a job; " + from + " -> " + to + " is not a step");
        }
        try {
            DynamoCalls.run(() -> dynamo.updateItem(r -> r.tableName(table).key(key(ControlKeys.jobPk(name), ControlKeys.JOB_SK))
                    .updateExpression("SET #status = :to, updatedAt = :now")
                    .conditionExpression("#status = :from")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":to", s(to.name()), ":from", s(from.name()),
                            ":now", Attr.time(when)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<String> recordPlan(String name, ImportStatistics files, String planKey) {
        try {
            DynamoCalls.run(() -> dynamo.updateItem(r -> r.tableName(table).key(key(ControlKeys.jobPk(name), ControlKeys.JOB_SK))
                    .updateExpression("SET filesTotal = :t, filesIngested = :i, filesDiscarded = :d, #bytes = :b, planKey = :plan")
                    .conditionExpression("#status = :running AND attribute_not_exists(planKey)")
                    .expressionAttributeNames(Map.of("#status", "status", "#bytes", "bytes"))
                    .expressionAttributeValues(Map.of(":t", n(files.filesTotal()), ":i", n(files.filesIngested()),
                            ":d", n(files.filesDiscarded()), ":b", n(files.bytes()), ":plan", s(planKey),
                            ":running", s(JobStatus.IN_PROGRESS.name())))));
            return Optional.of(planKey);
        } catch (ConditionalCheckFailedException e) {
            // A plan was recorded first, or the job is not running (it ended meanwhile).
            var item = DynamoCalls.call(() -> dynamo.getItem(r -> r.tableName(table)
                    .key(key(ControlKeys.jobPk(name), ControlKeys.JOB_SK)).consistentRead(true))).item();
            boolean running = item != null && item.containsKey("status")
                    && JobStatus.IN_PROGRESS.name().equals(item.get("status").s());
            return running && item.containsKey("planKey") ? Optional.of(item.get("planKey").s()) : Optional.empty();
        }
    }

    @Override
    public Optional<String> plan(String name) {
        var item = DynamoCalls.call(() -> dynamo.getItem(r -> r.tableName(table)
                .key(key(ControlKeys.jobPk(name), ControlKeys.JOB_SK)).consistentRead(true)
                .projectionExpression("planKey"))).item();
        return item == null || !item.containsKey("planKey") ? Optional.empty() : Optional.of(item.get("planKey").s());
    }

    @Override
    public boolean finish(ImportJob job, String newGeneration, String retiredGeneration) {
        if (!job.status().isTerminal()) {
            throw new IllegalArgumentException("finish() ends a job; " + job.status() + " is not an end state");
        }
        Map<String, AttributeValue> item = toItem(job);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", n(1), ":now", Attr.time(job.updatedAt())));
        String datasetUpdate = "SET activeJobs = activeJobs - :one, updatedAt = :now";
        if (newGeneration != null) {
            datasetUpdate += ", generation = :gen, fullImported = :true";
            values.put(":gen", s(newGeneration));
            values.put(":true", Attr.bool(true));
        }
        if (retiredGeneration != null) {
            datasetUpdate += " ADD retiredGenerations :retired";
            values.put(":retired", AttributeValue.fromSs(List.of(retiredGeneration)));
        }
        String update = datasetUpdate;
        // A stopped job ends from PENDING or STOPPING; any other end from PENDING or IN_PROGRESS, so
        // neither a Finish nor a MarkFailed overwrites a stop under way.
        boolean stopped = job.status() == JobStatus.STOPPED;
        String condition = stopped ? STOPPABLE : UNFINISHED;
        Map<String, AttributeValue> conditionValues = stopped
                ? Map.of(":pending", s(JobStatus.PENDING.name()), ":stopping", s(JobStatus.STOPPING.name()))
                : Map.of(":pending", s(JobStatus.PENDING.name()), ":running", s(JobStatus.IN_PROGRESS.name()));
        List<TransactWriteItem> actions = List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression(condition)
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(conditionValues)).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(ControlKeys.queuePk(job.datasetName()),
                        ControlKeys.queueSk(job.createdAt().toEpochMilli(), job.name())))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key(ControlKeys.DATASETS_PK, job.datasetName()))
                        .updateExpression(update).expressionAttributeValues(values)).build());
        try {
            transact(actions);
            return true;
        } catch (TransactionCanceledException e) {
            if (failedCondition(e.cancellationReasons(), 0)) {
                return false;
            }
            if (onlyContention(e.cancellationReasons())) {
                throw new TransientImportException("Could not end import job '" + job.name() + "' (" + reasonCodes(e)
                        + "); will retry", e);
            }
            throw e; // a request DynamoDB refuses will be refused again: not worth retrying
        }
    }

    private static String reasonCodes(TransactionCanceledException e) {
        return e.cancellationReasons() == null ? "no reasons"
                : e.cancellationReasons().stream().map(CancellationReason::code).toList().toString();
    }

    @Override
    public Optional<ChunkResult> chunkResult(String name, int index, int pass) {
        var item = DynamoCalls.call(() -> dynamo.getItem(r -> r.tableName(table)
                .key(key(ControlKeys.jobPk(name), ControlKeys.chunkSk(index, pass))).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toChunk(item));
    }

    @Override
    public ChunkResult putChunkResult(String name, ChunkResult result) {
        Map<String, AttributeValue> item = new HashMap<>(key(ControlKeys.jobPk(name),
                ControlKeys.chunkSk(result.index(), result.pass())));
        item.put("index", n(result.index()));
        item.put("pass", n(result.pass()));
        item.put("unwritten", n(result.unwritten()));
        if (result.keyHashes() != null) {
            item.put("keyHashes", s(result.keyHashes()));
        }
        putCounts(item, result.counts());
        item.put("errors", AttributeValue.fromL(result.errors().stream().map(e -> AttributeValue.fromM(Map.of(
                "file", s(e.file()), "line", n(e.line()), "reason", s(e.reason())))).toList()));
        if (!result.fieldStatistics().isEmpty()) {
            // binary: a few dozen bytes a field plus its sketch, bounded by FieldStatisticsCollector's budget
            item.put("fieldStatistics", AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(result.fieldStatistics().encode())));
        }
        if (result.bytes() > 0) {
            item.put("bytes", n(result.bytes()));
        }
        if (result.lineBreaks() > 0) {
            item.put("lineBreaks", n(result.lineBreaks()));
        }
        try {
            DynamoCalls.run(() -> dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk)")));
        } catch (ConditionalCheckFailedException e) {
            return chunkResult(name, result.index(), result.pass()).orElseThrow();
        }
        if (result.pass() == 1) {
            countProgress(name, result.bytes(), result.counts().total());
        }
        return result;
    }

    /**
     * Counts a stored first-pass result on the job's item, where {@link #progress} reads it in one
     * small GetItem. Only the put that stored the result counts (a repeated one finds it stored). Not
     * in one transaction with the put: were the process to stop between the two, the estimate made
     * from it is off by a chunk, which is cheaper than contending on the job item in transactions.
     */
    private void countProgress(String name, long bytes, long rows) {
        try {
            DynamoCalls.run(() -> dynamo.updateItem(r -> r.tableName(table).key(key(ControlKeys.jobPk(name), ControlKeys.JOB_SK))
                    .updateExpression("ADD chunksDone :one, bytesDone :bytes, rowsDone :rows")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":one", n(1), ":bytes", n(bytes), ":rows", n(rows)))));
        } catch (ConditionalCheckFailedException gone) {
            // no such job item: nothing to count on
        }
    }

    @Override
    public Progress progress(String name) {
        var item = DynamoCalls.call(() -> dynamo.getItem(r -> r.tableName(table)
                .key(key(ControlKeys.jobPk(name), ControlKeys.JOB_SK)).consistentRead(true)
                .projectionExpression("chunksDone, bytesDone, rowsDone"))).item();
        return item == null ? Progress.NONE : new Progress(Attr.num(item, "chunksDone"), Attr.num(item, "bytesDone"),
                Attr.num(item, "rowsDone"));
    }

    @Override
    public List<ChunkResult> chunkResults(String name) {
        List<ChunkResult> results = new ArrayList<>();
        queryJobPartition(name, ControlKeys.CHUNK_PREFIX, item -> results.add(toChunk(item)));
        return results;
    }

    private void queryJobPartition(String name, String prefix, Consumer<Map<String, AttributeValue>> each) {
        QueryRequest request = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(ControlKeys.jobPk(name)), ":prefix", s(prefix)))
                .consistentRead(true).build();
        DynamoCalls.run(() -> dynamo.queryPaginator(request).items().forEach(each));
    }

    private static void putCounts(Map<String, AttributeValue> item, RecordCounts c) {
        item.put("added", n(c.added()));
        item.put("updated", n(c.updated()));
        item.put("unchanged", n(c.unchanged()));
        item.put("skipped", n(c.skipped()));
        item.put("failed", n(c.failed()));
    }

    private static RecordCounts counts(Map<String, AttributeValue> item) {
        return new RecordCounts(Attr.num(item, "added"), Attr.num(item, "updated"), Attr.num(item, "unchanged"),
                Attr.num(item, "skipped"), Attr.num(item, "failed"));
    }

    private static ChunkResult toChunk(Map<String, AttributeValue> item) {
        List<RowError> errors = item.containsKey("errors") ? item.get("errors").l().stream().map(v -> new RowError(
                v.m().get("file").s(), Long.parseLong(v.m().get("line").n()), v.m().get("reason").s())).toList() : List.of();
        return new ChunkResult((int) Attr.num(item, "index"), (int) Attr.num(item, "pass"), counts(item), errors,
                Attr.str(item, "keyHashes"), Attr.num(item, "unwritten"), FieldSummaries.decode(binary(item, "fieldStatistics")),
                Attr.num(item, "bytes"), Attr.num(item, "lineBreaks"));
    }

    private static byte[] binary(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.b() == null ? null : v.b().asByteArray();
    }

    static Map<String, AttributeValue> toItem(ImportJob job) {
        Map<String, AttributeValue> item = new HashMap<>(key(ControlKeys.jobPk(job.name()), ControlKeys.JOB_SK));
        item.put("name", s(job.name()));
        item.put("datasetName", s(job.datasetName()));
        item.put("dataLocation", s(job.dataLocation()));
        item.put("mode", s(job.mode().name()));
        item.put("status", s(job.status().name()));
        item.put("createdAt", Attr.time(job.createdAt()));
        item.put("updatedAt", Attr.time(job.updatedAt()));
        if (job.failureReason() != null) {
            item.put("failureReason", s(job.failureReason()));
        }
        if (job.roleArn() != null) {
            item.put("roleArn", s(job.roleArn()));
        }
        if (!job.tags().isEmpty()) {
            Map<String, AttributeValue> tags = new LinkedHashMap<>();
            job.tags().forEach((k, v) -> tags.put(k, s(v)));
            item.put("tags", AttributeValue.fromM(tags));
        }
        item.put("publishStatistics", Attr.bool(job.publishStatistics()));
        item.put("maxFailedRowsPercent", n(job.maxFailedRowsPercent()));
        ImportStatistics st = job.statistics();
        putCounts(item, new RecordCounts(st.added(), st.updated(), st.unchanged(), st.skipped(), st.failed()));
        item.put("filesTotal", n(st.filesTotal()));
        item.put("filesIngested", n(st.filesIngested()));
        item.put("filesDiscarded", n(st.filesDiscarded()));
        item.put("bytes", n(st.bytes()));
        if (job.statisticsLocation() != null) {
            item.put("statisticsLocation", s(job.statisticsLocation()));
        }
        if (job.errorReportLocation() != null) {
            item.put("errorReportLocation", s(job.errorReportLocation()));
        }
        item.put("trigger", s(job.trigger().type().name()));
        if (job.trigger().dataSourceName() != null) {
            item.put("dataSource", s(job.trigger().dataSourceName()));
        }
        if (!job.fieldStatistics().isEmpty()) {
            item.put("fieldStatistics", AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(
                    FieldStatistics.encode(job.fieldStatistics()))));
        }
        return item;
    }

    static ImportJob toJob(Map<String, AttributeValue> item) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (item.containsKey("tags")) {
            item.get("tags").m().forEach((k, v) -> tags.put(k, v.s()));
        }
        ImportStatistics stats = new ImportStatistics(Attr.num(item, "added"), Attr.num(item, "updated"),
                Attr.num(item, "unchanged"), Attr.num(item, "skipped"), Attr.num(item, "failed"),
                Attr.num(item, "filesTotal"), Attr.num(item, "filesIngested"), Attr.num(item, "filesDiscarded"),
                Attr.num(item, "bytes"));
        return new ImportJob(Attr.str(item, "name"), Attr.str(item, "datasetName"), Attr.str(item, "dataLocation"),
                ImportMode.valueOf(Attr.str(item, "mode")), JobStatus.valueOf(Attr.str(item, "status")),
                Attr.time(item, "createdAt"), Attr.time(item, "updatedAt"), Attr.str(item, "failureReason"),
                Attr.str(item, "roleArn"), tags, Attr.bool(item, "publishStatistics"),
                Attr.dbl(item, "maxFailedRowsPercent", ImportJob.DEFAULT_MAX_FAILED_ROWS_PERCENT), stats,
                Attr.str(item, "statisticsLocation"), Attr.str(item, "errorReportLocation"),
                ImportTrigger.of(Attr.str(item, "trigger"), Attr.str(item, "dataSource")),
                item.containsKey("fieldStatistics") ? FieldStatistics.decode(binary(item, "fieldStatistics")) : Map.of());
    }
}
