package dev.intake.workflow;

import static dev.intake.app.Permission.CONTROL_READ;
import static dev.intake.app.Permission.CONTROL_WRITE;
import static dev.intake.app.Permission.READ_SOURCES;
import static dev.intake.app.Permission.RECORDS_DELETE;
import static dev.intake.app.Permission.RECORDS_READ;
import static dev.intake.app.Permission.RECORDS_WRITE;
import static dev.intake.app.Permission.REPORTS_WRITE;
import static dev.intake.app.Permission.START_DELETIONS;
import static dev.intake.app.Permission.START_IMPORTS;
import static dev.intake.app.Permission.WORK_FILES_DELETE;
import static dev.intake.app.Permission.WORK_FILES_READ;
import static dev.intake.app.Permission.WORK_FILES_WRITE;

import dev.intake.app.Permission;
import java.util.List;
import java.util.Set;

/**
 * The state machine's task functions. The CDK stack makes one function each and substitutes its
 * ARN for {@code ${<name>FunctionArn}} in statemachine/import-job.asl.json; the local executor maps
 * the same names to the same classes.
 */
public final class WorkflowTasks {
    /**
     * @param longRunning gets more memory and time than the bookkeeping steps
     * @param permissions what its handler touches (see ImportWorkflow): all its function may do
     */
    public record Task(String name, String handlerClass, boolean longRunning, Set<Permission> permissions) {
        public Task {
            permissions = Permission.setOf(permissions);
        }

        Task(String name, Class<? extends WorkflowTask> handler, boolean longRunning, Permission... permissions) {
            this(name, handler.getName(), longRunning, Set.of(permissions));
        }

        /** Reads the import's source data (as Intake, or as the job's roleArn). */
        public boolean readsSource() {
            return permissions.contains(READ_SOURCES);
        }

        public String substitutionKey() {
            return name + "FunctionArn";
        }

        public String lambdaHandler() {
            return handlerClass + "::handleRequest";
        }
    }

    public static final List<Task> ALL = List.of(
            // moves the job to IN_PROGRESS if it is first in its dataset's queue
            new Task("Start", StartTask.class, false, CONTROL_READ, CONTROL_WRITE),
            // plans once: lists and reads the files, keeps the plan (a working file) and records it on
            // the job; a retried or resumed Plan reads the kept plan; writes the chunks' manifest
            new Task("Plan", PlanTask.class, true, CONTROL_READ, CONTROL_WRITE, READ_SOURCES, WORK_FILES_WRITE,
                    WORK_FILES_READ, Permission.MANIFESTS_WRITE),
            // reads and writes records, stores its result and key hashes (pass 2 reads the contested
            // keys); a job that ended meanwhile has its FULL generation deleted
            new Task("IngestChunk", IngestChunkTask.class, true, CONTROL_READ, CONTROL_WRITE, RECORDS_READ, RECORDS_WRITE,
                    RECORDS_DELETE, READ_SOURCES, WORK_FILES_READ, WORK_FILES_WRITE),
            // merges every chunk's key hashes: no source data, but as long as an import is large; writes
            // the manifest of the chunks to count again (read from the kept plan)
            new Task("Reconcile", ReconcileTask.class, true, CONTROL_READ, WORK_FILES_READ, WORK_FILES_WRITE,
                    Permission.MANIFESTS_WRITE),
            // sums the chunks (a chunk's many invalid rows are a working file), ends the job (retiring the
            // generation it replaced), writes the reports, deletes the working files
            new Task("Finish", FinishTask.class, false, CONTROL_READ, CONTROL_WRITE, WORK_FILES_READ, WORK_FILES_DELETE,
                    REPORTS_WRITE),
            // ends the job FAILED (retiring a FULL import's own generation), deletes its working files
            new Task("Fail", FailTask.class, false, CONTROL_READ, CONTROL_WRITE, WORK_FILES_DELETE));

    /**
     * The deletion state machine's one task (statemachine/delete-records.asl.json): a bounded step
     * of deleting a dataset's retired generations, or all of a dataset being deleted.
     */
    public static final Task DELETE_RECORDS = new Task("DeleteRecords", DeleteRecordsTask.class, true,
            CONTROL_READ, CONTROL_WRITE, RECORDS_READ, RECORDS_DELETE);

    /**
     * Not a step of the state machine: receives its executions' status-change events (an
     * EventBridge rule in AWS, the local executor locally). Ends a job its execution left
     * unfinished (as Fail does) and starts the dataset's next job and the deletion of what the job
     * retired; after a deletion execution, starts another if records are left.
     */
    public static final Task EXECUTION_ENDED = new Task("ExecutionEnded", ExecutionEndedTask.class, false,
            CONTROL_READ, CONTROL_WRITE, WORK_FILES_DELETE, START_IMPORTS, START_DELETIONS);

    /**
     * Not a step of the state machine: reads the control table's stream (an event source mapping in
     * AWS) and publishes each job's status changes as "Import Job State Change" events. It reads
     * nothing else: the stream records carry the jobs.
     */
    public static final Task PUBLISH_JOB_EVENTS = new Task("PublishJobEvents", PublishJobEventsTask.class.getName(),
            false, Set.of(Permission.PUBLISH_JOB_EVENTS));

    /**
     * The export state machine's tasks (statemachine/export-job.asl.json): start it, write one
     * bounded part file per step, finish, or fail it with the caught error's reason.
     */
    public static final List<Task> EXPORT = List.of(
            // reads the job and the dataset; the job IN_PROGRESS with the generation it reads (conditional)
            new Task("ExportStart", ExportStartTask.class, false, CONTROL_READ, CONTROL_WRITE),
            // reads the job, the dataset and a page of records (Query); writes one part file as the job's role
            new Task("ExportPart", ExportPartTask.class, true, CONTROL_READ, RECORDS_READ, Permission.WRITE_EXPORTS),
            // reads the job; ACTIVE (conditional)
            new Task("ExportFinish", ExportFinishTask.class, false, CONTROL_READ, CONTROL_WRITE),
            // reads the job; FAILED with the reason (conditional)
            new Task("ExportFail", ExportFailTask.class, false, CONTROL_READ, CONTROL_WRITE));

    private WorkflowTasks() {
    }
}
