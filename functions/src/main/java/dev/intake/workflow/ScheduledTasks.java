package dev.intake.workflow;

import static dev.intake.app.Permission.CONTROL_READ;
import static dev.intake.app.Permission.START_IMPORTS;

import dev.intake.app.Permission;
import java.util.List;
import java.util.Set;

/** Functions the stack runs on a schedule (an EventBridge rule each). */
public final class ScheduledTasks {
    /**
     * @param schedule    an EventBridge schedule expression
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
            // queries the unfinished jobs and starts their executions
            new Task("ResumeUnfinishedJobs", ResumeUnfinishedJobsTask.class.getName(), "rate(5 minutes)",
                    Set.of(CONTROL_READ, START_IMPORTS)));

    private ScheduledTasks() {
    }
}
