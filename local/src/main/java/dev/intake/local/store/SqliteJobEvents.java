package dev.intake.local.store;

import dev.intake.core.JobStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox of job state changes in the embedded database (table job_events): triggers on the jobs
 * table add a row in the same transaction as each job created and each status change; rows leave
 * only when they were delivered.
 */
public final class SqliteJobEvents {
    /** One state change waiting to be published; ids grow with every change and are never reused. */
    public record Entry(long id, String job, JobStatus previousStatus, JobStatus status, Instant time) {
    }

    private final SqliteDatabase db;

    public SqliteJobEvents(SqliteDatabase db) {
        this.db = db;
    }

    /** The oldest waiting changes, in the order they happened. */
    public List<Entry> oldest(int limit) {
        return db.transaction("read job events", db -> {
            PreparedStatement select = db.statement(
                    "SELECT id, job, previous_status, status, at FROM job_events ORDER BY id LIMIT ?");
            select.setInt(1, limit);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String previous = row.getString(3);
                    entries.add(new Entry(row.getLong(1), row.getString(2), previous == null ? null : JobStatus.valueOf(previous),
                            JobStatus.valueOf(row.getString(4)), Instant.ofEpochMilli(row.getLong(5))));
                }
            }
            return entries;
        });
    }

    /** Forgets the changes up to and including {@code id}: they were delivered. */
    public void deleteThrough(long id) {
        db.transaction("delete delivered job events", db -> {
            PreparedStatement delete = db.statement("DELETE FROM job_events WHERE id <= ?");
            delete.setLong(1, id);
            delete.executeUpdate();
            return null;
        });
    }

    /** Calls {@code listener} when a change is added (inside its transaction: it may only signal). */
    public void onAdded(Runnable listener) {
        db.onInsert("job_events", listener);
    }
}
