package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.DynamoMocks.bool;
import static dev.intake.adapters.dynamodb.DynamoMocks.cancelled;
import static dev.intake.adapters.dynamodb.DynamoMocks.cancelledWithoutReasons;
import static dev.intake.adapters.dynamodb.DynamoMocks.conditionFailed;
import static dev.intake.adapters.dynamodb.DynamoMocks.key;
import static dev.intake.adapters.dynamodb.DynamoMocks.n;
import static dev.intake.adapters.dynamodb.DynamoMocks.s;
import static dev.intake.adapters.dynamodb.DynamoMocks.sent;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.intake.core.ChunkResult;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.ports.JobStore;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.IntakeException;
import dev.intake.core.JobStatus;
import dev.intake.core.RecordCounts;
import dev.intake.core.RowError;
import dev.intake.core.TransientImportException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The exact requests DynamoJobStore sends and how it handles DynamoDB's failures: what the contract
 * suite on dynalite cannot show (no TransactWriteItems there, no throttling).
 */
class DynamoJobStoreRequestsTest {
    private static final String TABLE = "intake-control";
    /** 2024-03-01T10:15:30.123Z: 13 digits of epoch millis. */
    private static final Instant CREATED = Instant.parse("2024-03-01T10:15:30.123Z");
    private static final String CREATED_MILLIS = "1709288130123";
    private static final Instant ENDED = Instant.parse("2024-03-01T10:20:00.456Z");
    private static final String ENDED_MILLIS = "1709288400456";

    private DynamoDbClient dynamo;
    private final List<Long> sleeps = new ArrayList<>();
    private DynamoJobStore store;

    @BeforeEach
    void setUp() {
        dynamo = DynamoMocks.client();
        store = new DynamoJobStore(dynamo, TABLE, sleeps::add);
    }

    private static ImportJob pendingJob() {
        return new ImportJob("job-1", "movies", "s3://bucket/data/", ImportMode.FULL, JobStatus.PENDING, CREATED,
                CREATED, null, "arn:aws:iam::123456789012:role/reader", Map.of("team", "ml"), true, 5.5,
                ImportStatistics.EMPTY, null, null,
                new dev.intake.core.ImportTrigger(dev.intake.core.ImportTrigger.Type.SCHEDULE, "nightly-movies"));
    }

    /** The pending job's item, attribute by attribute. */
    private static Map<String, AttributeValue> pendingJobItem() {
        return Map.ofEntries(
                entry("pk", s("JOB#job-1")), entry("sk", s("JOB")),
                entry("name", s("job-1")), entry("datasetName", s("movies")), entry("dataLocation", s("s3://bucket/data/")),
                entry("mode", s("FULL")), entry("status", s("PENDING")),
                entry("createdAt", n(CREATED_MILLIS)), entry("updatedAt", n(CREATED_MILLIS)),
                entry("roleArn", s("arn:aws:iam::123456789012:role/reader")),
                entry("tags", AttributeValue.fromM(Map.of("team", s("ml")))),
                entry("publishStatistics", bool(true)), entry("maxFailedRowsPercent", n("5.5")),
                entry("added", n("0")), entry("updated", n("0")), entry("unchanged", n("0")), entry("skipped", n("0")),
                entry("failed", n("0")), entry("filesTotal", n("0")), entry("filesIngested", n("0")),
                entry("filesDiscarded", n("0")), entry("bytes", n("0")),
                entry("trigger", s("SCHEDULE")), entry("dataSource", s("nightly-movies")));
    }

    private static ImportJob failedJob() {
        return new ImportJob("job-1", "movies", "s3://bucket/data/", ImportMode.INCREMENTAL, JobStatus.FAILED, CREATED,
                ENDED, "Too many invalid rows", null, Map.of(), false, 10.0,
                new ImportStatistics(10, 20, 30, 4, 5, 3, 2, 1, 123_456), "s3://results/job-1/statistics.json",
                "s3://results/job-1/errors.csv");
    }

    /** The failed job's item: no roleArn, no tags; reason, statistics and both report locations. */
    private static Map<String, AttributeValue> failedJobItem() {
        return Map.ofEntries(
                entry("pk", s("JOB#job-1")), entry("sk", s("JOB")),
                entry("name", s("job-1")), entry("datasetName", s("movies")), entry("dataLocation", s("s3://bucket/data/")),
                entry("mode", s("INCREMENTAL")), entry("status", s("FAILED")),
                entry("createdAt", n(CREATED_MILLIS)), entry("updatedAt", n(ENDED_MILLIS)),
                entry("failureReason", s("Too many invalid rows")),
                entry("publishStatistics", bool(false)), entry("maxFailedRowsPercent", n("10.0")),
                entry("added", n("10")), entry("updated", n("20")), entry("unchanged", n("30")), entry("skipped", n("4")),
                entry("failed", n("5")), entry("filesTotal", n("3")), entry("filesIngested", n("2")),
                entry("filesDiscarded", n("1")), entry("bytes", n("123456")),
                entry("statisticsLocation", s("s3://results/job-1/statistics.json")),
                entry("errorReportLocation", s("s3://results/job-1/errors.csv")),
                entry("trigger", s("API")));
    }

    private void transactionsSucceed() {
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                .thenReturn(TransactWriteItemsResponse.builder().build());
    }

    private List<TransactWriteItemsRequest> transactions() {
        return sent(dynamo, TransactWriteItemsRequest.class);
    }

    /** Each backoff is at most 50 ms, 100 ms, 200 ms ... for the 1st, 2nd, 3rd ... retry. */
    private void assertBackoffs(int retries) {
        assertThat(sleeps).hasSize(retries);
        for (int i = 0; i < retries; i++) {
            assertThat(sleeps.get(i)).as("backoff before attempt %d", i + 2).isBetween(0L, 50L << i);
        }
    }

    @Nested
    class Create {
        private final TransactWriteItem jobPut = TransactWriteItem.builder().put(p -> p.tableName(TABLE)
                .item(pendingJobItem()).conditionExpression("attribute_not_exists(pk)")).build();
        private final TransactWriteItem queuePut = TransactWriteItem.builder().put(p -> p.tableName(TABLE)
                .item(Map.of("pk", s("QUEUE#movies"), "sk", s(CREATED_MILLIS + "#job-1"), "jobName", s("job-1"))))
                .build();
        private final TransactWriteItem datasetUpdate = TransactWriteItem.builder().update(u -> u.tableName(TABLE)
                .key(key("DATASETS", "movies"))
                .updateExpression("SET activeJobs = activeJobs + :one")
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(deletion)")
                .expressionAttributeValues(Map.of(":one", n("1")))).build();
        private final TransactWriteItem listPut = TransactWriteItem.builder().put(p -> p.tableName(TABLE)
                .item(Map.of("pk", s("JOBLIST"), "sk", s(CREATED_MILLIS + "#job-1"), "jobName", s("job-1")))).build();
        private final TransactWriteItem datasetListPut = TransactWriteItem.builder().put(p -> p.tableName(TABLE)
                .item(Map.of("pk", s("JOBLIST#movies"), "sk", s(CREATED_MILLIS + "#job-1"), "jobName", s("job-1"))))
                .build();

        @Test
        void writesTheJobQueuesItAndCountsItOnTheDatasetInOneTransaction() {
            transactionsSucceed();

            store.create(pendingJob());

            assertThat(sent(dynamo)).hasSize(1);
            TransactWriteItemsRequest request = transactions().get(0);
            assertThat(request.transactItems()).containsExactly(jobPut, queuePut, datasetUpdate, listPut, datasetListPut);
            assertThat(request).isEqualTo(TransactWriteItemsRequest.builder()
                    .transactItems(jobPut, queuePut, datasetUpdate, listPut, datasetListPut).build());
            assertThat(sleeps).isEmpty();
        }

        @Test
        void queueSortKeyIsZeroPaddedToThirteenDigits() {
            transactionsSucceed();
            ImportJob early = new ImportJob("j", "movies", "s3://bucket/x", ImportMode.FULL, JobStatus.PENDING,
                    Instant.ofEpochMilli(42), Instant.ofEpochMilli(42), null, null, null, false, 10.0, null, null, null);

            store.create(early);

            assertThat(transactions().get(0).transactItems().get(1).put().item())
                    .isEqualTo(Map.of("pk", s("QUEUE#movies"), "sk", s("0000000000042#j"), "jobName", s("j")));
        }

        @Test
        void leavesOutAttributesTheJobDoesNotHave() {
            transactionsSucceed();
            ImportJob bare = new ImportJob("j", "movies", "s3://bucket/x", ImportMode.FULL, JobStatus.PENDING,
                    CREATED, CREATED, null, null, Map.of(), false, 10.0, null, null, null);

            store.create(bare);

            assertThat(transactions().get(0).transactItems().get(0).put().item()).doesNotContainKeys(
                    "failureReason", "roleArn", "tags", "statisticsLocation", "errorReportLocation");
        }

        @Test
        void aTakenNameIsAlreadyExists() {
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                    .thenThrow(cancelled("ConditionalCheckFailed", "None", "None"));

            assertThatThrownBy(() -> store.create(pendingJob()))
                    .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS))
                    .hasMessage("Import job 'job-1' already exists");
            assertThat(transactions()).hasSize(1);
        }

        @Test
        void aMissingDatasetIsNotFound() {
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                    .thenThrow(cancelled("None", "None", "ConditionalCheckFailed"));

            assertThatThrownBy(() -> store.create(pendingJob()))
                    .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                    .hasMessage("Dataset 'movies' does not exist or is being deleted");
            assertThat(transactions()).hasSize(1);
        }

        @Test
        void aFailedConditionIsNotRetriedEvenAlongsideAConflict() {
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                    .thenThrow(cancelled("None", "TransactionConflict", "ConditionalCheckFailed"));

            assertThatThrownBy(() -> store.create(pendingJob()))
                    .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
            assertThat(transactions()).hasSize(1);
            assertThat(sleeps).isEmpty();
        }

        @ParameterizedTest
        @CsvSource({"TransactionConflict", "ThrottlingError"})
        void contentionIsRetriedWithBackoffUntilATryGoesThrough(String code) {
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                    .thenThrow(cancelled("None", code, "None"))
                    .thenThrow(cancelled(code, "None", "None"))
                    .thenReturn(TransactWriteItemsResponse.builder().build());

            store.create(pendingJob());

            assertThat(transactions()).hasSize(3)
                    .allSatisfy(r -> assertThat(r.transactItems())
                            .containsExactly(jobPut, queuePut, datasetUpdate, listPut, datasetListPut));
            assertBackoffs(2);
        }

        @ParameterizedTest
        @CsvSource({"TransactionConflict", "ThrottlingError"})
        void contentionThatOutlastsTheAttemptsPropagates(String code) {
            TransactionCanceledException last = cancelled("None", code, "None");
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                    .thenThrow(cancelled("None", code, "None"), cancelled("None", code, "None"),
                            cancelled("None", code, "None"), cancelled("None", code, "None"), last);

            assertThatThrownBy(() -> store.create(pendingJob())).isSameAs(last);
            assertThat(transactions()).hasSize(DynamoJobStore.MAX_TRANSACTION_ATTEMPTS);
            assertBackoffs(DynamoJobStore.MAX_TRANSACTION_ATTEMPTS - 1);
        }

        @Test
        void mixedConflictAndThrottlingIsStillContention() {
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                    .thenThrow(cancelled("ThrottlingError", "TransactionConflict", "None"))
                    .thenReturn(TransactWriteItemsResponse.builder().build());

            store.create(pendingJob());

            assertThat(transactions()).hasSize(2);
            assertBackoffs(1);
        }

        @Test
        void aCancellationWithoutReasonsIsNotRetried() {
            TransactionCanceledException cancellation = cancelledWithoutReasons();
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenThrow(cancellation);

            assertThatThrownBy(() -> store.create(pendingJob())).isSameAs(cancellation);
            assertThat(transactions()).hasSize(1);
            assertThat(sleeps).isEmpty();
        }

        @Test
        void aValidationErrorIsNotRetried() {
            TransactionCanceledException cancellation = cancelled("None", "ValidationError", "None");
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenThrow(cancellation);

            assertThatThrownBy(() -> store.create(pendingJob())).isSameAs(cancellation);
            assertThat(transactions()).hasSize(1);
            assertThat(sleeps).isEmpty();
        }

        @Test
        void aValidationErrorAlongsideAConflictIsNotRetried() {
            TransactionCanceledException cancellation = cancelled("TransactionConflict", "ValidationError", "None");
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenThrow(cancellation);

            assertThatThrownBy(() -> store.create(pendingJob())).isSameAs(cancellation);
            assertThat(transactions()).hasSize(1);
            assertThat(sleeps).isEmpty();
        }
    }

    @Test
    void backoffIsFullJitterUnderADoublingCap() {
        for (int attempt = 1; attempt <= 12; attempt++) {
            long cap = Math.min(2_000, 50L << (attempt - 1));
            int a = attempt;
            long[] samples = IntStream.range(0, 2_000).mapToLong(i -> DynamoJobStore.backoffMillis(a)).toArray();
            assertThat(LongStream.of(samples).min().orElseThrow()).as("attempt %d", attempt).isBetween(0L, cap / 4);
            assertThat(LongStream.of(samples).max().orElseThrow()).as("attempt %d", attempt).isBetween(cap * 3 / 4, cap);
        }
    }

    @Nested
    class Finish {
        private final TransactWriteItem jobPut = TransactWriteItem.builder().put(p -> p.tableName(TABLE)
                .item(failedJobItem())
                .conditionExpression("#status IN (:pending, :running)")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":pending", s("PENDING"), ":running", s("IN_PROGRESS")))).build();
        private final TransactWriteItem queueDelete = TransactWriteItem.builder().delete(d -> d.tableName(TABLE)
                .key(key("QUEUE#movies", CREATED_MILLIS + "#job-1"))).build();

        private TransactWriteItem datasetUpdate(String expression, Map<String, AttributeValue> values) {
            return TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key("DATASETS", "movies"))
                    .updateExpression(expression).expressionAttributeValues(values)).build();
        }

        static Stream<Arguments> generations() {
            Map<String, AttributeValue> base = Map.of(":one", n("1"), ":now", n(ENDED_MILLIS));
            Map<String, AttributeValue> switched = new HashMap<>(base);
            switched.put(":gen", s("g2"));
            switched.put(":true", bool(true));
            Map<String, AttributeValue> retired = new HashMap<>(base);
            retired.put(":retired", AttributeValue.fromSs(List.of("g1")));
            Map<String, AttributeValue> both = new HashMap<>(switched);
            both.putAll(retired);
            return Stream.of(
                    Arguments.of(null, null, "SET activeJobs = activeJobs - :one, updatedAt = :now", base),
                    Arguments.of("g2", null,
                            "SET activeJobs = activeJobs - :one, updatedAt = :now, generation = :gen, fullImported = :true",
                            switched),
                    Arguments.of(null, "g1",
                            "SET activeJobs = activeJobs - :one, updatedAt = :now ADD retiredGenerations :retired",
                            retired),
                    Arguments.of("g2", "g1",
                            "SET activeJobs = activeJobs - :one, updatedAt = :now, generation = :gen, fullImported = :true"
                                    + " ADD retiredGenerations :retired",
                            both));
        }

        @ParameterizedTest(name = "new generation {0}, retired {1}")
        @MethodSource("generations")
        void endsTheJobTakesItOffTheQueueAndUpdatesTheDatasetInOneTransaction(
                String newGeneration, String retired, String expression, Map<String, AttributeValue> values) {
            transactionsSucceed();

            assertThat(store.finish(failedJob(), newGeneration, retired)).isTrue();

            assertThat(sent(dynamo)).hasSize(1);
            TransactWriteItemsRequest request = transactions().get(0);
            TransactWriteItem update = datasetUpdate(expression, values);
            assertThat(request.transactItems().get(2).update().updateExpression()).isEqualTo(expression);
            assertThat(request.transactItems().get(2).update().expressionAttributeValues()).isEqualTo(values);
            assertThat(request.transactItems()).containsExactly(jobPut, queueDelete, update);
            assertThat(request).isEqualTo(TransactWriteItemsRequest.builder().transactItems(jobPut, queueDelete, update).build());
        }

        @Test
        void aStoppedJobEndsOnlyFromPendingOrStopping() {
            transactionsSucceed();
            ImportJob failed = failedJob();
            ImportJob stopped = new ImportJob(failed.name(), failed.datasetName(), failed.dataLocation(), failed.mode(),
                    JobStatus.STOPPED, failed.createdAt(), failed.updatedAt(), failed.failureReason(), null, Map.of(),
                    false, 10.0, failed.statistics(), failed.statisticsLocation(), failed.errorReportLocation());
            Map<String, AttributeValue> item = new HashMap<>(failedJobItem());
            item.put("status", s("STOPPED"));

            assertThat(store.finish(stopped, null, "job-job-1")).isTrue();

            Map<String, AttributeValue> values = Map.of(":one", n("1"), ":now", n(ENDED_MILLIS),
                    ":retired", AttributeValue.fromSs(List.of("job-job-1")));
            assertThat(transactions()).containsExactly(TransactWriteItemsRequest.builder().transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(item)
                            .conditionExpression("#status IN (:pending, :stopping)")
                            .expressionAttributeNames(Map.of("#status", "status"))
                            .expressionAttributeValues(Map.of(":pending", s("PENDING"), ":stopping", s("STOPPING")))).build(),
                    queueDelete,
                    datasetUpdate("SET activeJobs = activeJobs - :one, updatedAt = :now ADD retiredGenerations :retired",
                            values)).build());
        }

        @Test
        void aJobThatHadAlreadyEndedIsFalse() {
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                    .thenThrow(cancelled("ConditionalCheckFailed", "None", "None"));

            assertThat(store.finish(failedJob(), null, null)).isFalse();
            assertThat(transactions()).hasSize(1);
            assertThat(sleeps).isEmpty();
        }

        @Test
        void contentionIsRetriedUntilATryGoesThrough() {
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                    .thenThrow(cancelled("None", "None", "TransactionConflict"))
                    .thenReturn(TransactWriteItemsResponse.builder().build());

            assertThat(store.finish(failedJob(), "g2", "g1")).isTrue();
            assertThat(transactions()).hasSize(2);
            assertBackoffs(1);
        }

        @Test
        void contentionThatOutlastsTheAttemptsIsTransient() {
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                    .thenThrow(cancelled("None", "TransactionConflict", "None"));

            assertThatThrownBy(() -> store.finish(failedJob(), null, null))
                    .isInstanceOf(TransientImportException.class)
                    .hasMessage("Could not end import job 'job-1' ([None, TransactionConflict, None]); will retry")
                    .hasCauseInstanceOf(TransactionCanceledException.class);
            assertThat(transactions()).hasSize(DynamoJobStore.MAX_TRANSACTION_ATTEMPTS);
            assertBackoffs(DynamoJobStore.MAX_TRANSACTION_ATTEMPTS - 1);
        }

        @Test
        void throttlingThatOutlastsTheAttemptsIsTransient() {
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                    .thenThrow(cancelled("ThrottlingError", "None", "ThrottlingError"));

            assertThatThrownBy(() -> store.finish(failedJob(), null, null))
                    .isInstanceOf(TransientImportException.class)
                    .hasMessageContaining("[ThrottlingError, None, ThrottlingError]");
            assertThat(transactions()).hasSize(DynamoJobStore.MAX_TRANSACTION_ATTEMPTS);
        }

        @Test
        void anyOtherCancellationIsNeitherRetriedNorCalledTransient() {
            var refused = cancelled("None", "None", "ValidationError");
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenThrow(refused);

            assertThatThrownBy(() -> store.finish(failedJob(), null, null)).isSameAs(refused);
            assertThat(transactions()).hasSize(1);
            assertThat(sleeps).isEmpty();
        }

        @ParameterizedTest
        @CsvSource({"PENDING", "IN_PROGRESS"})
        void aStatusThatDoesNotEndTheJobIsRefused(JobStatus status) {
            ImportJob job = failedJob();
            ImportJob notEnded = new ImportJob(job.name(), job.datasetName(), job.dataLocation(), job.mode(), status,
                    job.createdAt(), job.updatedAt(), null, null, null, false, 10.0, null, null, null);

            assertThatThrownBy(() -> store.finish(notEnded, null, null)).isInstanceOf(IllegalArgumentException.class);
            verifyNoInteractions(dynamo);
        }
    }

    @Nested
    class Transition {
        private final Instant when = Instant.parse("2024-03-01T10:16:00.789Z");

        private UpdateItemRequest expected() {
            return UpdateItemRequest.builder().tableName(TABLE).key(key("JOB#job-1", "JOB"))
                    .updateExpression("SET #status = :to, updatedAt = :now")
                    .conditionExpression("#status = :from")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":to", s("IN_PROGRESS"), ":from", s("PENDING"),
                            ":now", n("1709288160789")))
                    .build();
        }

        @Test
        void movesTheStatusOnlyFromTheExpectedOne() {
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenReturn(UpdateItemResponse.builder().build());

            assertThat(store.transition("job-1", JobStatus.PENDING, JobStatus.IN_PROGRESS, when)).isTrue();

            assertThat(sent(dynamo)).containsExactly(expected());
        }

        @Test
        void aJobNoLongerInTheExpectedStatusIsFalse() {
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenThrow(conditionFailed());

            assertThat(store.transition("job-1", JobStatus.PENDING, JobStatus.IN_PROGRESS, when)).isFalse();
            assertThat(sent(dynamo)).containsExactly(expected());
        }

        @Test
        void aRunningJobStopsByAConditionalStepToStopping() {
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenReturn(UpdateItemResponse.builder().build());

            assertThat(store.transition("job-1", JobStatus.IN_PROGRESS, JobStatus.STOPPING, when)).isTrue();

            assertThat(sent(dynamo)).containsExactly(UpdateItemRequest.builder().tableName(TABLE).key(key("JOB#job-1", "JOB"))
                    .updateExpression("SET #status = :to, updatedAt = :now")
                    .conditionExpression("#status = :from")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":to", s("STOPPING"), ":from", s("IN_PROGRESS"),
                            ":now", n("1709288160789")))
                    .build());
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"PENDING, STOPPING", "STOPPING, STOPPED", "PENDING, STOPPED", "STOPPED, PENDING", "PENDING, FAILED", "IN_PROGRESS, ACTIVE", "IN_PROGRESS, FAILED", "IN_PROGRESS, PENDING",
                "PENDING, ACTIVE", "ACTIVE, IN_PROGRESS", "FAILED, PENDING", "PENDING, PENDING"})
        void onlyNonTerminalStepsAreTransitions(JobStatus from, JobStatus to) {
            assertThatThrownBy(() -> store.transition("job-1", from, to, when))
                    .isInstanceOf(IllegalArgumentException.class);
            verifyNoInteractions(dynamo);
        }
    }

    @Nested
    class RecordPlan {
        private final ImportStatistics files = ImportStatistics.EMPTY.withFiles(7, 5, 2, 9_876_543_210L);

        private UpdateItemRequest expected() {
            return UpdateItemRequest.builder().tableName(TABLE).key(key("JOB#job-1", "JOB"))
                    .updateExpression("SET filesTotal = :t, filesIngested = :i, filesDiscarded = :d, #bytes = :b, planKey = :plan")
                    .conditionExpression("#status = :running AND attribute_not_exists(planKey)")
                    .expressionAttributeNames(Map.of("#status", "status", "#bytes", "bytes"))
                    .expressionAttributeValues(Map.of(":t", n("7"), ":i", n("5"), ":d", n("2"), ":b", n("9876543210"),
                            ":plan", s("work/job-1/plan-a.json"), ":running", s("IN_PROGRESS")))
                    .build();
        }

        private GetItemRequest read() {
            return GetItemRequest.builder().tableName(TABLE).key(key("JOB#job-1", "JOB")).consistentRead(true).build();
        }

        @Test
        void recordsTheFirstPlanAndTheFileCountsOnARunningJob() {
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenReturn(UpdateItemResponse.builder().build());

            assertThat(store.recordPlan("job-1", files, "work/job-1/plan-a.json")).contains("work/job-1/plan-a.json");

            assertThat(sent(dynamo)).containsExactly(expected());
        }

        @Test
        void aPlanRecordedFirstWins() {
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenThrow(conditionFailed());
            when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                    .item(Map.of("status", s("IN_PROGRESS"), "planKey", s("work/job-1/plan-first.json"))).build());

            assertThat(store.recordPlan("job-1", files, "work/job-1/plan-a.json")).contains("work/job-1/plan-first.json");

            assertThat(sent(dynamo)).containsExactly(expected(), read());
        }

        @Test
        void aJobThatIsNotRunningHasNoPlanToRecord() {
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenThrow(conditionFailed());
            when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                    .item(Map.of("status", s("FAILED"), "planKey", s("work/job-1/plan-first.json"))).build());

            assertThat(store.recordPlan("job-1", files, "work/job-1/plan-a.json")).isEmpty();
        }

        @Test
        void readsTheRecordedPlanConsistently() {
            when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                    .item(Map.of("planKey", s("work/job-1/plan-first.json"))).build());

            assertThat(store.plan("job-1")).contains("work/job-1/plan-first.json");

            assertThat(sent(dynamo)).containsExactly(read().toBuilder().projectionExpression("planKey").build());
        }

        @Test
        void otherFailuresAreNotSwallowedAndThrottlingIsTransient() {
            var throttled = DynamoMocks.provisionedThroughputExceeded();
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenThrow(throttled);

            assertThatThrownBy(() -> store.recordPlan("job-1", files, "k")).isInstanceOf(TransientImportException.class)
                    .hasCause(throttled);
        }
    }

    @Nested
    class PutChunkResult {
        private final ChunkResult result = new ChunkResult(3, 2, new RecordCounts(5, -2, 7, 1, -1),
                List.of(new RowError("part-1.csv", 12, "missing id"), new RowError("part-2.csv", 3, "bad date")),
                "work/job-1/keys/3", 4);

        private Map<String, AttributeValue> expectedItem() {
            return Map.ofEntries(
                    entry("pk", s("JOB#job-1")), entry("sk", s("CHUNK#0000003#2")),
                    entry("index", n("3")), entry("pass", n("2")), entry("unwritten", n("4")),
                    entry("keyHashes", s("work/job-1/keys/3")),
                    entry("added", n("5")), entry("updated", n("-2")), entry("unchanged", n("7")),
                    entry("skipped", n("1")), entry("failed", n("-1")),
                    entry("errors", AttributeValue.fromL(List.of(
                            AttributeValue.fromM(Map.of("file", s("part-1.csv"), "line", n("12"), "reason", s("missing id"))),
                            AttributeValue.fromM(Map.of("file", s("part-2.csv"), "line", n("3"), "reason", s("bad date")))))));
        }

        @Test
        void storesTheResultUnlessOneIsStoredAlready() {
            when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());

            assertThat(store.putChunkResult("job-1", result)).isSameAs(result);

            assertThat(sent(dynamo)).containsExactly(PutItemRequest.builder().tableName(TABLE).item(expectedItem())
                    .conditionExpression("attribute_not_exists(pk)").build());
        }

        @Test
        void aFirstPassResultWithoutKeyHashesHasNoSuchAttribute() {
            when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());

            store.putChunkResult("job-1", new ChunkResult(0, RecordCounts.ZERO, List.of()));

            PutItemRequest request = sent(dynamo, PutItemRequest.class).get(0);
            assertThat(request.item()).doesNotContainKey("keyHashes")
                    .containsEntry("sk", s("CHUNK#0000000#1"))
                    .containsEntry("errors", AttributeValue.fromL(List.of()));
            assertThat(request.conditionExpression()).isEqualTo("attribute_not_exists(pk)");
        }

        @Test
        void aResultStoredMeanwhileIsReadBackConsistentlyAndReturned() {
            when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(conditionFailed());
            Map<String, AttributeValue> stored = new HashMap<>(expectedItem());
            stored.put("added", n("6"));
            stored.put("errors", AttributeValue.fromL(List.of()));
            stored.remove("keyHashes");
            when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(stored).build());

            ChunkResult returned = store.putChunkResult("job-1", result);

            assertThat(returned).isEqualTo(new ChunkResult(3, 2, new RecordCounts(6, -2, 7, 1, -1), List.of(), null, 4));
            assertThat(sent(dynamo)).hasSize(2);
            assertThat(sent(dynamo).get(1)).isEqualTo(GetItemRequest.builder().tableName(TABLE)
                    .key(key("JOB#job-1", "CHUNK#0000003#2")).consistentRead(true).build());
        }
    }

    @Nested
    class FieldStatisticsAndProgress {
        private final dev.intake.core.stats.FieldSummaries summaries = summaries();

        private static dev.intake.core.stats.FieldSummaries summaries() {
            var schema = dev.intake.core.schema.RecordSchema.parse(
                    "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                            + "{\"name\":\"n\",\"type\":\"long\"}]}", List.of("id"));
            var collector = new dev.intake.core.stats.FieldStatisticsCollector(schema, java.util.Set.of(), null);
            collector.add(Map.of("id", "a", "n", 3L));
            collector.add(Map.of("id", "b", "n", -4L));
            return collector.summaries();
        }

        private final ChunkResult firstPass = new ChunkResult(3, 1, new RecordCounts(2, 0, 0, 0, 0), List.of(), null, 0,
                summaries, 4_096, 57);

        @Test
        void aFirstPassResultIsPutWithItsStatisticsAndBytesThenCountedOnTheJobItem() {
            when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenReturn(UpdateItemResponse.builder().build());

            assertThat(store.putChunkResult("job-1", firstPass)).isSameAs(firstPass);

            Map<String, AttributeValue> item = Map.ofEntries(
                    entry("pk", s("JOB#job-1")), entry("sk", s("CHUNK#0000003#1")),
                    entry("index", n("3")), entry("pass", n("1")), entry("unwritten", n("0")),
                    entry("added", n("2")), entry("updated", n("0")), entry("unchanged", n("0")),
                    entry("skipped", n("0")), entry("failed", n("0")), entry("errors", AttributeValue.fromL(List.of())),
                    entry("fieldStatistics", AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(
                            summaries.encode()))),
                    entry("bytes", n("4096")), entry("lineBreaks", n("57")));
            assertThat(sent(dynamo)).containsExactly(
                    PutItemRequest.builder().tableName(TABLE).item(item).conditionExpression("attribute_not_exists(pk)").build(),
                    UpdateItemRequest.builder().tableName(TABLE).key(key("JOB#job-1", "JOB"))
                            .updateExpression("ADD chunksDone :one, bytesDone :bytes, rowsDone :rows")
                            .conditionExpression("attribute_exists(pk)")
                            .expressionAttributeValues(Map.of(":one", n("1"), ":bytes", n("4096"), ":rows", n("2"))).build());
        }

        @Test
        void aResultStoredAlreadyOrOfTheSecondPassCountsNoProgress() {
            when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(conditionFailed());
            Map<String, AttributeValue> stored = new HashMap<>(Map.of("pk", s("JOB#job-1"), "sk", s("CHUNK#0000003#1"),
                    "index", n("3"), "pass", n("1"), "unwritten", n("0"), "bytes", n("4096"), "lineBreaks", n("57"),
                    "fieldStatistics", AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(summaries.encode()))));
            stored.putAll(Map.of("added", n("2"), "updated", n("0"), "unchanged", n("0"), "skipped", n("0"), "failed", n("0")));
            when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(stored).build());

            assertThat(store.putChunkResult("job-1", firstPass)).isEqualTo(firstPass);
            assertThat(sent(dynamo, UpdateItemRequest.class)).isEmpty();

            org.mockito.Mockito.reset(dynamo);
            when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());
            store.putChunkResult("job-1", new ChunkResult(3, 2, RecordCounts.ZERO, List.of(), null, 0, summaries, 4_096));
            assertThat(sent(dynamo, UpdateItemRequest.class)).as("a second pass is no progress").isEmpty();
        }

        @Test
        void aJobItemThatIsGoneIsNotCreatedByCountingProgress() {
            when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenThrow(conditionFailed());

            assertThat(store.putChunkResult("job-1", firstPass)).isSameAs(firstPass);
        }

        @Test
        void progressIsOneConsistentGetItemOfTheThreeCounters() {
            when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                    .item(Map.of("chunksDone", n("7"), "bytesDone", n("9000"), "rowsDone", n("120"))).build());

            assertThat(store.progress("job-1")).isEqualTo(new JobStore.Progress(7, 9000, 120));
            assertThat(sent(dynamo)).containsExactly(GetItemRequest.builder().tableName(TABLE).key(key("JOB#job-1", "JOB"))
                    .consistentRead(true).projectionExpression("chunksDone, bytesDone, rowsDone").build());
        }

        @Test
        void anActiveJobsFieldStatisticsAreOneBinaryAttributeOfItsItem() {
            var fields = dev.intake.core.stats.FieldSummaries.merge(List.of(summaries)).statistics();
            ImportJob failed = failedJob();
            ImportJob done = new ImportJob(failed.name(), failed.datasetName(), failed.dataLocation(), failed.mode(),
                    JobStatus.ACTIVE, failed.createdAt(), failed.updatedAt(), null, null, Map.of(), false, 10.0,
                    failed.statistics(), null, null, failed.trigger(), fields);

            Map<String, AttributeValue> item = DynamoJobStore.toItem(done);

            assertThat(item.get("fieldStatistics")).isEqualTo(AttributeValue.fromB(
                    software.amazon.awssdk.core.SdkBytes.fromByteArray(dev.intake.core.stats.FieldStatistics.encode(fields))));
            assertThat(DynamoJobStore.toJob(item)).isEqualTo(done);
            assertThat(DynamoJobStore.toItem(failed)).doesNotContainKey("fieldStatistics");
        }
    }

    @Nested
    class ArrivalBatches {
        private final dev.intake.core.ObjectArrival arrival = new dev.intake.core.ObjectArrival("landing",
                "movies/day 1/a.csv", 42, "\"abc\"", "v7", "5f0a");
        /** The sequencer as stored: upper case, right-padded to 32 digits, so string order is S3's order. */
        private final String seq = "5F0A0000000000000000000000000000";

        private List<TransactWriteItem> arrivalWrites(String job) {
            Map<String, AttributeValue> object = new HashMap<>(Map.of("pk", s("JOB#" + job),
                    "sk", s("OBJECT#landing/movies/day 1/a.csv"), "bucket", s("landing"), "key", s("movies/day 1/a.csv"),
                    "size", n("42"), "etag", s("abc"), "versionId", s("v7"), "sequencer", s(seq)));
            return List.of(
                    TransactWriteItem.builder().put(p -> p.tableName(TABLE)
                            .item(Map.of("pk", s("ARRIVAL#landing/movies/day 1/a.csv"), "sk", s("LATEST"),
                                    "sequencer", s(seq), "job", s(job)))
                            .conditionExpression("attribute_not_exists(pk) OR sequencer < :sequencer")
                            .expressionAttributeValues(Map.of(":sequencer", s(seq)))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(object)).build());
        }

        @Test
        void anArrivalJoinsInOneTransactionConditionedOnTheOpenBatchAndTheKeysLatestSequencer() {
            transactionsSucceed();

            assertThat(store.addToBatch("movies", "batch-1", arrival, 500)).isEqualTo(JobStore.Admission.ADDED);

            List<TransactWriteItem> expected = new ArrayList<>();
            expected.add(TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key("BATCH#movies", "OPEN"))
                    .updateExpression("SET #objects = #objects + :one")
                    .conditionExpression("#job = :job AND #objects < :max")
                    .expressionAttributeNames(Map.of("#objects", "objects", "#job", "job"))
                    .expressionAttributeValues(Map.of(":one", n("1"), ":job", s("batch-1"), ":max", n("500")))).build());
            expected.addAll(arrivalWrites("batch-1"));
            assertThat(sent(dynamo)).hasSize(1);
            assertThat(transactions().get(0).transactItems()).containsExactlyElementsOf(expected);
        }

        @Test
        void whichConditionFailedSaysClosedOrDuplicate() {
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                    .thenThrow(cancelled("ConditionalCheckFailed", "None", "None"))
                    .thenThrow(cancelled("None", "ConditionalCheckFailed", "None"));
            assertThat(store.addToBatch("movies", "batch-1", arrival, 500)).isEqualTo(JobStore.Admission.CLOSED);
            assertThat(store.addToBatch("movies", "batch-1", arrival, 500)).isEqualTo(JobStore.Admission.DUPLICATE);
        }

        @Test
        void openingWritesTheJobItsQueueEntryTheDatasetsCountTheBatchAndTheArrivalTogether() {
            transactionsSucceed();
            ImportJob job = pendingJob();

            assertThat(store.openBatch("movies", job, ENDED, arrival)).isEqualTo(JobStore.Admission.ADDED);

            List<TransactWriteItem> items = transactions().get(0).transactItems();
            assertThat(items).hasSize(8);
            assertThat(items.get(0).put().item()).isEqualTo(pendingJobItem());
            assertThat(items.get(3)).isEqualTo(TransactWriteItem.builder().put(p -> p.tableName(TABLE)
                    .item(Map.of("pk", s("BATCH#movies"), "sk", s("OPEN"), "job", s("job-1"), "until", n(ENDED_MILLIS),
                            "objects", n("1")))
                    .conditionExpression("attribute_not_exists(pk)")).build());
            assertThat(items.subList(4, 6)).containsExactlyElementsOf(arrivalWrites("job-1"));
            // last: the job's entries in the listings of all jobs and of its dataset
            assertThat(items.subList(6, 8)).containsExactly(
                    TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s("JOBLIST"),
                            "sk", s(CREATED_MILLIS + "#job-1"), "jobName", s("job-1")))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s("JOBLIST#movies"),
                            "sk", s(CREATED_MILLIS + "#job-1"), "jobName", s("job-1")))).build());
        }

        @Test
        void openingFindsAnotherBatchOpenOrTheArrivalSeenBefore() {
            when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                    .thenThrow(cancelled("None", "None", "None", "ConditionalCheckFailed", "None", "None"))
                    .thenThrow(cancelled("None", "None", "None", "None", "ConditionalCheckFailed", "None"));
            assertThat(store.openBatch("movies", pendingJob(), ENDED, arrival)).isEqualTo(JobStore.Admission.CLOSED);
            assertThat(store.openBatch("movies", pendingJob(), ENDED, arrival)).isEqualTo(JobStore.Admission.DUPLICATE);
        }
    }

    @Nested
    class Listing {
        @Test
        void aDatasetsListingIsOneQueryOfItsEntriesThenEachJobRead() {
            when(dynamo.query(any(software.amazon.awssdk.services.dynamodb.model.QueryRequest.class))).thenReturn(
                    software.amazon.awssdk.services.dynamodb.model.QueryResponse.builder()
                            .items(List.of(Map.of("pk", s("JOBLIST#movies"), "sk", s(CREATED_MILLIS + "#job-1"), "jobName", s("job-1"))))
                            .lastEvaluatedKey(Map.of("pk", s("JOBLIST#movies"), "sk", s(CREATED_MILLIS + "#job-1"))).build());
            when(dynamo.getItem(any(software.amazon.awssdk.services.dynamodb.model.GetItemRequest.class))).thenReturn(
                    software.amazon.awssdk.services.dynamodb.model.GetItemResponse.builder().item(pendingJobItem()).build());

            var page = store.listJobs("movies", "0000000000001#a", 1);

            assertThat(page.items()).extracting(ImportJob::name).containsExactly("job-1");
            assertThat(page.lastKey()).isEqualTo(CREATED_MILLIS + "#job-1");
            assertThat(sent(dynamo)).containsExactly(
                    software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder().tableName(TABLE)
                            .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s("JOBLIST#movies")))
                            .consistentRead(true).limit(1).exclusiveStartKey(key("JOBLIST#movies", "0000000000001#a")).build(),
                    software.amazon.awssdk.services.dynamodb.model.GetItemRequest.builder().tableName(TABLE)
                            .key(key("JOB#job-1", "JOB")).consistentRead(true).build());
        }

        @Test
        void allJobsAreOnePartitionToo() {
            when(dynamo.query(any(software.amazon.awssdk.services.dynamodb.model.QueryRequest.class))).thenReturn(
                    software.amazon.awssdk.services.dynamodb.model.QueryResponse.builder().items(List.of()).build());
            assertThat(store.listJobs(null, null, 100).lastKey()).isNull();
            assertThat(sent(dynamo)).containsExactly(software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                    .tableName(TABLE).keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s("JOBLIST")))
                    .consistentRead(true).limit(100).build());
        }
    }
}
