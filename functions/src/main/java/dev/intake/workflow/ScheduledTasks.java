package dev.intake.workflow;

import java.util.List;

/** Functions the stack runs on a schedule (an EventBridge rule each). */
public final class ScheduledTasks {
    /**
     * @param schedule an EventBridge schedule expression
     */
    public record Task(String name, String handlerClass, String schedule) {
        public String lambdaHandler() {
            return handlerClass + "::handleRequest";
        }
    }

    public static final List<Task> ALL = List.of(
            new Task("ResumeUnfinishedJobs", ResumeUnfinishedJobsTask.class.getName(), "rate(5 minutes)"));

    private ScheduledTasks() {
    }
}
