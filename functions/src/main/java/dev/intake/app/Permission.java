package dev.intake.app;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a function touches beyond writing its logs and traces. Each route ({@code Routes}) and task
 * ({@code WorkflowTasks}, {@code ScheduledTasks}) declares what its handler uses, found by reading
 * the handler and the adapters it calls; the CDK stack grants exactly that and nothing else, so a
 * handler that starts to touch something new must say so here. The local runtime ignores them.
 */
public enum Permission {
    /** Reads the control table (datasets, jobs, queue, chunk results): GetItem, Query. */
    CONTROL_READ,
    /**
     * Writes control-table items: PutItem, UpdateItem, DeleteItem (each conditional write, and the
     * two transactions that create and end a job, which DynamoDB authorizes per item as these).
     */
    CONTROL_WRITE,
    /** Makes the NextToken signing key, once per deployment: PutItem into the CONFIG partition only. */
    SIGNING_KEY_CREATE,
    /** Reads records: GetItem, BatchGetItem, and Query (to find a generation's records). */
    RECORDS_READ,
    /** Writes records: PutItem (each row, conditioned on the state read). */
    RECORDS_WRITE,
    /** Deletes a generation's records: BatchWriteItem (deletes only, after a Query). */
    RECORDS_DELETE,
    /**
     * Starts import executions: StartExecution on the state machine, whose ARN it is given, and
     * DescribeExecution of its executions (to find a job's latest attempt).
     */
    START_IMPORTS,
    /**
     * Starts dataset deletions: StartExecution on the deletion state machine, whose ARN it is given,
     * and DescribeExecution of its executions.
     */
    START_DELETIONS,
    /**
     * Reads import data: lists and gets objects of the configured import sources, and assumes the
     * configured roles for jobs that name one.
     */
    READ_SOURCES,
    /** Writes a job's working files (results bucket, work/). */
    WORK_FILES_WRITE,
    /** Reads a job's working files. */
    WORK_FILES_READ,
    /** Lists and deletes a job's working files when it ends. */
    WORK_FILES_DELETE,
    /** Writes error reports and statistics (results bucket, error-reports/ and statistics/). */
    REPORTS_WRITE,
    /**
     * Publishes import jobs' state-change events: PutEvents on the event bus (the account's default
     * bus, or the one the stack makes), fed by the control table's stream.
     */
    PUBLISH_JOB_EVENTS,
    /**
     * Creates, updates and deletes the data sources' schedules (EventBridge Scheduler, in Intake's
     * schedule group only), passing the scheduler's role to Scheduler only.
     */
    MANAGE_SCHEDULES,
    /**
     * Stops import executions: StopExecution of the import state machine's executions (a job
     * stopped on request), besides what START_IMPORTS allows.
     */
    STOP_IMPORTS,
    /**
     * Starts dataset exports: StartExecution on the export state machine, whose ARN it is given, and
     * DescribeExecution of its executions.
     */
    START_EXPORTS,
    /**
     * Writes an export's files: assumes the configured roles (an export always names one), in a
     * session that may only put objects under the export's folder, inside the import sources.
     */
    WRITE_EXPORTS,
    /**
     * Writes a job's chunk manifests (results bucket, manifests/): the JSON Lines lists of chunks that
     * the state machine's Distributed Maps read (the state machine's role may read them).
     */
    MANIFESTS_WRITE;

    /** An unmodifiable set in declaration order (so what the stack makes of it is the same on every synth). */
    public static Set<Permission> setOf(java.util.Collection<Permission> permissions) {
        EnumSet<Permission> set = EnumSet.noneOf(Permission.class);
        set.addAll(permissions);
        return java.util.Collections.unmodifiableSet(set);
    }

    /**
     * Whether a function with these permissions changes no data: it writes no table item, except
     * perhaps the signing key (deployment configuration, made once).
     */
    public static boolean readOnly(Set<Permission> permissions) {
        return permissions.stream().noneMatch(EnumSet.of(CONTROL_WRITE, RECORDS_WRITE, RECORDS_DELETE)::contains);
    }

    /**
     * Whether a function with these permissions reads or writes S3 objects (and so may assume roles,
     * STS): the S3 and STS clients are left out of the API jar, so a route that does runs the
     * workflow jar (infra's LambdaJars).
     */
    public static boolean usesObjectStorage(Set<Permission> permissions) {
        return permissions.stream().anyMatch(EnumSet.of(READ_SOURCES, WORK_FILES_WRITE, WORK_FILES_READ,
                WORK_FILES_DELETE, REPORTS_WRITE, WRITE_EXPORTS, MANIFESTS_WRITE)::contains);
    }
}
