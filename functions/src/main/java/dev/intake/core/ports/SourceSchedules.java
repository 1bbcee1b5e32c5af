package dev.intake.core.ports;

import dev.intake.core.DataSource;

/**
 * The one schedule of each data source that has one: EventBridge Scheduler in AWS, a scheduler on
 * the process's clock locally. A firing schedule runs the source's scheduled run (the
 * RunScheduledSource task) with its name and the time it was due.
 */
public interface SourceSchedules {
    /** The scheduled run's input fields, the same in AWS and locally. */
    String SOURCE_FIELD = "dataSourceName";
    String TIME_FIELD = "scheduledTime";

    /**
     * Makes the source's schedule match it: created or updated when it has one (disabled while the
     * source is), deleted when it has none. Idempotent.
     */
    void put(DataSource source);

    /** Deletes the source's schedule; nothing happens if it has none. */
    void delete(String sourceName);

    /** For a process that manages no schedules: every call fails with the reason. */
    static SourceSchedules unavailable(String why) {
        return new SourceSchedules() {
            @Override
            public void put(DataSource source) {
                throw new IllegalStateException(why);
            }

            @Override
            public void delete(String sourceName) {
                throw new IllegalStateException(why);
            }
        };
    }
}
