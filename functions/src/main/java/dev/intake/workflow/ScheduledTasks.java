package dev.intake.workflow;

import static dev.intake.app.Permission.CONTROL_READ;
import static dev.intake.app.Permission.CONTROL_WRITE;
import static dev.intake.app.Permission.WORK_FILES_DELETE;
import static dev.intake.app.Permission.START_DELETIONS;
import static dev.intake.app.Permission.START_IMPORTS;

import dev.intake.app.Permission;
import java.util.List;
import java.util.Set;

/** Functions the stack runs on a schedule (an EventBridge rule each). */
public final class ScheduledTasks {
    /**
     * @param schedule    an EventBridge schedule expression (null where the function's schedules are made at run time)
     * @param permissions what its handler touches: all its function may do
     */
    public record Task(String name, String handlerClass, String schedule, Set<Permission> permissions) {
        public Task {
            permissions = Permission.setOf(permissions);
        }

        public String lambdaHandler() {
            return handlerClass + "::handleRequest";
        }
    }

    public static final List<Task> ALL = List.of(
            // queries the unfinished jobs, looks up the latest execution of each queue's first job and
            // starts one where none runs; fails a job whose execution ended unreported (as Fail does);
            // lists the datasets and starts the deletion of those with records to delete
            new Task("ResumeUnfinishedJobs", ResumeUnfinishedJobsTask.class.getName(), "rate(5 minutes)",
                    Set.of(CONTROL_READ, CONTROL_WRITE, WORK_FILES_DELETE, START_IMPORTS, START_DELETIONS)));

    /**
     * Not run by a rule of the stack: the target of the data sources' own schedules (EventBridge
     * Scheduler, one schedule per source, made at run time; locally the local scheduler). Reads the
     * source and creates its scheduled import job as CreateDatasetImportJob does.
     */
    public static final Task RUN_SCHEDULED_SOURCE = new Task("RunScheduledSource",
            RunScheduledSourceTask.class.getName(), null, Set.of(CONTROL_READ, CONTROL_WRITE, START_IMPORTS,
                    // a DataZone data source's scheduled run lists its folder first
                    dev.intake.app.Permission.READ_SOURCES));

    private ScheduledTasks() {
    }
}
