package dev.intake.local.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.intake.core.ChunkResult;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.ImportTrigger;
import dev.intake.core.ObjectArrival;
import dev.intake.core.IntakeException;
import dev.intake.core.JobStatus;
import dev.intake.core.RecordCounts;
import dev.intake.core.RowError;
import dev.intake.core.ports.JobStore;
import dev.intake.core.ports.Page;
import dev.intake.core.stats.FieldStatistics;
import dev.intake.core.stats.FieldSummaries;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Jobs and chunk results in the embedded database. A dataset's queue is its jobs that are pending
 * or running, in creation order (then name), read from an index on them.
 */
public final class SqliteJobStore implements JobStore {
    /** A dataset's queue: the same condition as the index on it (SqliteDatabase's jobs_open_queue). */
    private static final String UNFINISHED = "status IN ('PENDING', 'IN_PROGRESS', 'STOPPING')";
    private static final String JOB_COLUMNS = "name, dataset, data_location, mode, status, created_at, updated_at, "
            + "failure_reason, role_arn, tags, publish_statistics, max_failed_rows_percent, added, updated, unchanged, "
            + "skipped, failed, files_total, files_ingested, files_discarded, bytes, statistics_location, error_report_location, "
            + "trigger_type, data_source, field_statistics";

    private static final String CHUNK_COLUMNS = "idx, pass, added, updated, unchanged, skipped, failed, errors, "
            + "key_hashes, unwritten, field_statistics, bytes, line_breaks";

    private final SqliteDatabase db;

    public SqliteJobStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void create(ImportJob job) {
        db.transaction("create import job " + job.name(), db -> {
            insertJob(db, job);
            return null;
        });
    }

    private static void insertJob(SqliteDatabase db, ImportJob job) throws SQLException {
        PreparedStatement dataset = db.statement("SELECT 1 FROM datasets WHERE name = ? "
                + "AND NOT EXISTS (SELECT 1 FROM dataset_deletions WHERE dataset = datasets.name)");
        dataset.setString(1, job.datasetName());
        try (ResultSet row = dataset.executeQuery()) {
            if (!row.next()) {
                throw IntakeException.notFound("Dataset '" + job.datasetName() + "' does not exist or is being deleted");
            }
        }
        PreparedStatement insert = db.statement("INSERT INTO jobs (" + JOB_COLUMNS + ") VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING");
        bindJob(insert, job);
        if (insert.executeUpdate() != 1) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Import job '" + job.name() + "' already exists");
        }
    }

    @Override
    public Optional<OpenBatch> openBatch(String batchKey) {
        return db.transaction("read the open arrival batch " + batchKey, db -> readBatch(db, batchKey));
    }

    private static Optional<OpenBatch> readBatch(SqliteDatabase db, String batchKey) throws SQLException {
        PreparedStatement select = db.statement("SELECT job, until, objects FROM open_batches WHERE batch_key = ?");
        select.setString(1, batchKey);
        try (ResultSet row = select.executeQuery()) {
            return row.next()
                    ? Optional.of(new OpenBatch(row.getString(1), Instant.ofEpochMilli(row.getLong(2)), row.getInt(3)))
                    : Optional.empty();
        }
    }

    @Override
    public Admission openBatch(String batchKey, ImportJob job, Instant until, ObjectArrival first) {
        return db.transaction("open an arrival batch for " + batchKey, db -> {
            if (readBatch(db, batchKey).isPresent()) {
                return Admission.CLOSED;
            }
            if (!isNew(db, first)) {
                return Admission.DUPLICATE;
            }
            insertJob(db, job);
            PreparedStatement open = db.statement("INSERT INTO open_batches (batch_key, job, until, objects) VALUES (?, ?, ?, 1)");
            open.setString(1, batchKey);
            open.setString(2, job.name());
            open.setLong(3, until.toEpochMilli());
            open.executeUpdate();
            remember(db, job.name(), first);
            return Admission.ADDED;
        });
    }

    @Override
    public Admission addToBatch(String batchKey, String job, ObjectArrival arrival, int maxObjects) {
        return db.transaction("add an arrival to batch " + job, db -> {
            Optional<OpenBatch> open = readBatch(db, batchKey);
            if (open.isEmpty() || !open.get().job().equals(job) || open.get().objects() >= maxObjects) {
                return Admission.CLOSED;
            }
            if (!isNew(db, arrival)) {
                return Admission.DUPLICATE;
            }
            PreparedStatement count = db.statement("UPDATE open_batches SET objects = objects + 1 WHERE batch_key = ?");
            count.setString(1, batchKey);
            count.executeUpdate();
            remember(db, job, arrival);
            return Admission.ADDED;
        });
    }

    /** Whether the arrival is a later write of its key than every arrival remembered. */
    private static boolean isNew(SqliteDatabase db, ObjectArrival arrival) throws SQLException {
        PreparedStatement select = db.statement("SELECT sequencer FROM object_arrivals WHERE bucket = ? AND key = ?");
        select.setString(1, arrival.bucket());
        select.setString(2, arrival.key());
        try (ResultSet row = select.executeQuery()) {
            return !row.next() || arrival.isLaterThan(row.getString(1));
        }
    }

    private static void remember(SqliteDatabase db, String job, ObjectArrival arrival) throws SQLException {
        PreparedStatement latest = db.statement("INSERT INTO object_arrivals (bucket, key, sequencer, job) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (bucket, key) DO UPDATE SET sequencer = excluded.sequencer, job = excluded.job");
        latest.setString(1, arrival.bucket());
        latest.setString(2, arrival.key());
        latest.setString(3, arrival.sequencer());
        latest.setString(4, job);
        latest.executeUpdate();
        PreparedStatement object = db.statement("INSERT OR REPLACE INTO batch_objects "
                + "(job, bucket, key, size, etag, version_id, sequencer) VALUES (?, ?, ?, ?, ?, ?, ?)");
        object.setString(1, job);
        object.setString(2, arrival.bucket());
        object.setString(3, arrival.key());
        object.setLong(4, arrival.size());
        setNullable(object, 5, arrival.etag());
        setNullable(object, 6, arrival.versionId());
        object.setString(7, arrival.sequencer());
        object.executeUpdate();
    }

    @Override
    public void closeBatch(String batchKey, String job) {
        db.transaction("close arrival batch " + job, db -> {
            PreparedStatement delete = db.statement("DELETE FROM open_batches WHERE batch_key = ? AND job = ?");
            delete.setString(1, batchKey);
            delete.setString(2, job);
            delete.executeUpdate();
            return null;
        });
    }

    @Override
    public void putJobObjects(String job, List<ObjectArrival> objects) {
        db.transaction("store the objects of job " + job, db -> {
            for (ObjectArrival object : objects) {
                insertObject(db, job, object);
            }
            return objects.size();
        });
    }

    private static void insertObject(SqliteDatabase db, String job, ObjectArrival arrival) throws SQLException {
        PreparedStatement insert = db.statement("INSERT INTO batch_objects (job, bucket, key, size, etag, version_id, sequencer)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job, bucket, key) DO UPDATE SET size = excluded.size,"
                + " etag = excluded.etag, version_id = excluded.version_id, sequencer = excluded.sequencer");
        insert.setString(1, job);
        insert.setString(2, arrival.bucket());
        insert.setString(3, arrival.key());
        insert.setLong(4, arrival.size());
        insert.setString(5, arrival.etag());
        insert.setString(6, arrival.versionId());
        insert.setString(7, arrival.sequencer());
        insert.executeUpdate();
    }

    @Override
    public List<ObjectArrival> batchObjects(String job) {
        return db.transaction("read the objects of batch " + job, db -> {
            PreparedStatement select = db.statement("SELECT bucket, key, size, etag, version_id, sequencer FROM batch_objects "
                    + "WHERE job = ? ORDER BY bucket, key");
            select.setString(1, job);
            List<ObjectArrival> objects = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    objects.add(new ObjectArrival(row.getString(1), row.getString(2), row.getLong(3), row.getString(4),
                            row.getString(5), row.getString(6)));
                }
            }
            return objects;
        });
    }

    @Override
    public Page<ImportJob> listJobs(String datasetName, String after, int limit) {
        long afterMillis = after == null ? -1 : Long.parseLong(after.substring(0, after.indexOf('#')));
        String afterName = after == null ? "" : after.substring(after.indexOf('#') + 1);
        return db.transaction("list import jobs", db -> {
            PreparedStatement select = db.statement("SELECT " + JOB_COLUMNS + " FROM jobs WHERE (? IS NULL OR dataset = ?)"
                    + " AND (created_at > ? OR (created_at = ? AND name > ?)) ORDER BY created_at, name LIMIT ?");
            select.setString(1, datasetName);
            select.setString(2, datasetName);
            select.setLong(3, afterMillis);
            select.setLong(4, afterMillis);
            select.setString(5, afterName);
            select.setInt(6, limit + 1); // one more tells whether there is a next page
            List<ImportJob> page = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    page.add(toJob(row));
                }
            }
            List<ImportJob> items = page.subList(0, Math.min(limit, page.size()));
            ImportJob last = items.isEmpty() ? null : items.get(items.size() - 1);
            return new Page<>(items, page.size() > limit ? JobStore.listPosition(last) : null);
        });
    }

    @Override
    public Optional<ImportJob> find(String name) {
        return db.transaction("read import job " + name, db -> {
            PreparedStatement select = db.statement("SELECT " + JOB_COLUMNS + " FROM jobs WHERE name = ?");
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(toJob(row)) : Optional.empty();
            }
        });
    }

    @Override
    public List<String> unfinished() {
        return db.transaction("list unfinished import jobs", db -> names(db.statement(
                "SELECT name FROM jobs WHERE " + UNFINISHED + " ORDER BY dataset, created_at, name")));
    }

    @Override
    public Optional<String> queueHead(String datasetName) {
        return db.transaction("read the queue of " + datasetName, db -> {
            PreparedStatement select = db.statement("SELECT name FROM jobs WHERE dataset = ? AND " + UNFINISHED
                    + " ORDER BY created_at, name LIMIT 1");
            select.setString(1, datasetName);
            return names(select).stream().findFirst();
        });
    }

    private static List<String> names(PreparedStatement select) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                names.add(row.getString(1));
            }
        }
        return names;
    }

    @Override
    public boolean transition(String name, JobStatus from, JobStatus to, Instant when) {
        if (!from.canMoveTo(to) || to.isTerminal()) {
            throw new IllegalArgumentException("use finish() to end a job; " + from + " -> " + to + " is not a step");
        }
        return db.transaction("move import job " + name + " to " + to, db -> {
            PreparedStatement update = db.statement("UPDATE jobs SET status = ?, updated_at = ? WHERE name = ? AND status = ?");
            update.setString(1, to.name());
            update.setLong(2, when.toEpochMilli());
            update.setString(3, name);
            update.setString(4, from.name());
            return update.executeUpdate() == 1;
        });
    }

    @Override
    public Optional<String> recordPlan(String name, ImportStatistics files, String planKey) {
        return db.transaction("record the plan of import job " + name, db -> {
            PreparedStatement running = db.statement("SELECT 1 FROM jobs WHERE name = ? AND status = 'IN_PROGRESS'");
            running.setString(1, name);
            try (ResultSet rs = running.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<String>empty();
                }
            }
            PreparedStatement insert = db.statement("INSERT OR IGNORE INTO job_plans (job, plan_key) VALUES (?, ?)");
            insert.setString(1, name);
            insert.setString(2, planKey);
            if (insert.executeUpdate() == 1) {
                PreparedStatement update = db.statement("UPDATE jobs SET files_total = ?, files_ingested = ?, "
                        + "files_discarded = ?, bytes = ? WHERE name = ?");
                update.setLong(1, files.filesTotal());
                update.setLong(2, files.filesIngested());
                update.setLong(3, files.filesDiscarded());
                update.setLong(4, files.bytes());
                update.setString(5, name);
                update.executeUpdate();
            }
            return readPlan(db, name);
        });
    }

    @Override
    public Optional<String> plan(String name) {
        return db.transaction("read the plan of import job " + name, db -> readPlan(db, name));
    }

    private static Optional<String> readPlan(SqliteDatabase db, String name) throws SQLException {
        PreparedStatement select = db.statement("SELECT plan_key FROM job_plans WHERE job = ?");
        select.setString(1, name);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    @Override
    public boolean finish(ImportJob job, String newGeneration, String retiredGeneration) {
        if (!job.status().isTerminal()) {
            throw new IllegalArgumentException("finish() ends a job; " + job.status() + " is not an end state");
        }
        return db.transaction("end import job " + job.name(), db -> {
            PreparedStatement end = db.statement("UPDATE jobs SET status = ?, updated_at = ?, failure_reason = ?, "
                    + "added = ?, updated = ?, unchanged = ?, skipped = ?, failed = ?, files_total = ?, files_ingested = ?, "
                    + "files_discarded = ?, bytes = ?, statistics_location = ?, error_report_location = ?, "
                    + "field_statistics = ? WHERE name = ? AND " + endsFrom(job.status()));
            ImportStatistics st = job.statistics();
            end.setString(1, job.status().name());
            end.setLong(2, job.updatedAt().toEpochMilli());
            end.setString(3, job.failureReason());
            long[] numbers = {st.added(), st.updated(), st.unchanged(), st.skipped(), st.failed(), st.filesTotal(),
                st.filesIngested(), st.filesDiscarded(), st.bytes()};
            for (int i = 0; i < numbers.length; i++) {
                end.setLong(4 + i, numbers[i]);
            }
            end.setString(13, job.statisticsLocation());
            end.setString(14, job.errorReportLocation());
            setFieldStatistics(end, 15, job);
            end.setString(16, job.name());
            if (end.executeUpdate() != 1) {
                return false; // it had already ended: a retried step changes nothing
            }
            PreparedStatement dataset = db.statement("UPDATE datasets SET updated_at = ?, "
                    + "generation = COALESCE(?, generation), full_imported = (full_imported OR ?) WHERE name = ?");
            dataset.setLong(1, job.updatedAt().toEpochMilli());
            dataset.setString(2, newGeneration);
            dataset.setInt(3, newGeneration != null ? 1 : 0);
            dataset.setString(4, job.datasetName());
            dataset.executeUpdate();
            if (retiredGeneration != null) {
                PreparedStatement retire = db.statement(
                        "INSERT INTO retired_generations (dataset, generation) VALUES (?, ?) ON CONFLICT DO NOTHING");
                retire.setString(1, job.datasetName());
                retire.setString(2, retiredGeneration);
                retire.executeUpdate();
            }
            return true;
        });
    }

    /**
     * A stopped job ends from PENDING or STOPPING; any other end from PENDING or IN_PROGRESS, so
     * neither a Finish nor a MarkFailed overwrites a stop under way.
     */
    private static String endsFrom(JobStatus end) {
        return end == JobStatus.STOPPED ? "status IN ('PENDING', 'STOPPING')" : "status IN ('PENDING', 'IN_PROGRESS')";
    }

    @Override
    public Optional<ChunkResult> chunkResult(String name, int index, int pass) {
        return db.transaction("read a chunk result of " + name, db -> chunkResult(db, name, index, pass));
    }

    private static Optional<ChunkResult> chunkResult(SqliteDatabase db, String name, int index, int pass) throws SQLException {
        PreparedStatement select = db.statement("SELECT " + CHUNK_COLUMNS + " FROM chunk_results "
                + "WHERE job = ? AND idx = ? AND pass = ?");
        select.setString(1, name);
        select.setInt(2, index);
        select.setInt(3, pass);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? Optional.of(toChunk(row)) : Optional.empty();
        }
    }

    @Override
    public ChunkResult putChunkResult(String name, ChunkResult result) {
        return db.transaction("store a chunk result of " + name, db -> {
            PreparedStatement insert = db.statement("INSERT INTO chunk_results (job, idx, pass, added, updated, unchanged, "
                    + "skipped, failed, errors, key_hashes, unwritten, field_statistics, bytes, line_breaks) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            RecordCounts c = result.counts();
            insert.setString(1, name);
            insert.setInt(2, result.index());
            insert.setInt(3, result.pass());
            insert.setLong(4, c.added());
            insert.setLong(5, c.updated());
            insert.setLong(6, c.unchanged());
            insert.setLong(7, c.skipped());
            insert.setLong(8, c.failed());
            insert.setString(9, SqliteDatasetStore.json(result.errors().stream()
                    .map(e -> Map.of("file", e.file(), "line", e.line(), "reason", e.reason())).toList()));
            insert.setString(10, result.keyHashes());
            insert.setLong(11, result.unwritten());
            if (result.fieldStatistics().isEmpty()) {
                insert.setNull(12, Types.BLOB);
            } else {
                insert.setBytes(12, result.fieldStatistics().encode());
            }
            insert.setLong(13, result.bytes());
            insert.setLong(14, result.lineBreaks());
            insert.executeUpdate();
            return chunkResult(db, name, result.index(), result.pass()).orElseThrow();
        });
    }

    @Override
    public List<ChunkResult> chunkResults(String name) {
        return db.transaction("read the chunk results of " + name, db -> {
            PreparedStatement select = db.statement("SELECT " + CHUNK_COLUMNS + " FROM chunk_results "
                    + "WHERE job = ? ORDER BY idx, pass");
            select.setString(1, name);
            List<ChunkResult> results = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    results.add(toChunk(row));
                }
            }
            return results;
        });
    }

    private static ChunkResult toChunk(ResultSet row) throws SQLException {
        List<RowError> errors = new ArrayList<>();
        try {
            for (Map<String, Object> e : SqliteDatasetStore.JSON.readValue(row.getString(8),
                    new TypeReference<List<Map<String, Object>>>() { })) {
                errors.add(new RowError((String) e.get("file"), ((Number) e.get("line")).longValue(), (String) e.get("reason")));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database holds chunk errors that are not JSON", e);
        }
        return new ChunkResult(row.getInt(1), row.getInt(2), new RecordCounts(row.getLong(3), row.getLong(4),
                row.getLong(5), row.getLong(6), row.getLong(7)), errors, row.getString(9), row.getLong(10),
                FieldSummaries.decode(row.getBytes(11)), row.getLong(12), row.getLong(13));
    }

    @Override
    public Progress progress(String name) {
        return db.transaction("read the progress of " + name, db -> {
            // the primary key's (job, idx, pass) order: one range of the index
            PreparedStatement select = db.statement("SELECT COUNT(*), COALESCE(SUM(bytes), 0),"
                    + " COALESCE(SUM(added + updated + unchanged + skipped + failed), 0) FROM chunk_results"
                    + " WHERE job = ? AND pass = 1");
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new Progress(row.getLong(1), row.getLong(2), row.getLong(3));
            }
        });
    }

    private static void setFieldStatistics(PreparedStatement s, int index, ImportJob job) throws SQLException {
        if (job.fieldStatistics().isEmpty()) {
            s.setNull(index, Types.BLOB);
        } else {
            s.setBytes(index, FieldStatistics.encode(job.fieldStatistics()));
        }
    }

    private static void bindJob(PreparedStatement s, ImportJob job) throws SQLException {
        ImportStatistics st = job.statistics();
        s.setString(1, job.name());
        s.setString(2, job.datasetName());
        s.setString(3, job.dataLocation());
        s.setString(4, job.mode().name());
        s.setString(5, job.status().name());
        s.setLong(6, job.createdAt().toEpochMilli());
        s.setLong(7, job.updatedAt().toEpochMilli());
        setNullable(s, 8, job.failureReason());
        setNullable(s, 9, job.roleArn());
        s.setString(10, SqliteDatasetStore.json(new LinkedHashMap<>(job.tags())));
        s.setInt(11, job.publishStatistics() ? 1 : 0);
        s.setDouble(12, job.maxFailedRowsPercent());
        long[] numbers = {st.added(), st.updated(), st.unchanged(), st.skipped(), st.failed(), st.filesTotal(),
            st.filesIngested(), st.filesDiscarded(), st.bytes()};
        for (int i = 0; i < numbers.length; i++) {
            s.setLong(13 + i, numbers[i]);
        }
        setNullable(s, 22, job.statisticsLocation());
        setNullable(s, 23, job.errorReportLocation());
        s.setString(24, job.trigger().type().name());
        setNullable(s, 25, job.trigger().dataSourceName());
        setFieldStatistics(s, 26, job);
    }

    private static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    private static ImportJob toJob(ResultSet row) throws SQLException {
        Map<String, String> tags;
        try {
            tags = SqliteDatasetStore.JSON.readValue(row.getString(10), new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database holds job tags that are not JSON", e);
        }
        ImportStatistics stats = new ImportStatistics(row.getLong(13), row.getLong(14), row.getLong(15), row.getLong(16),
                row.getLong(17), row.getLong(18), row.getLong(19), row.getLong(20), row.getLong(21));
        return new ImportJob(row.getString(1), row.getString(2), row.getString(3), ImportMode.valueOf(row.getString(4)),
                JobStatus.valueOf(row.getString(5)), Instant.ofEpochMilli(row.getLong(6)), Instant.ofEpochMilli(row.getLong(7)),
                row.getString(8), row.getString(9), tags, row.getInt(11) == 1, row.getDouble(12), stats,
                row.getString(22), row.getString(23), ImportTrigger.of(row.getString(24), row.getString(25)),
                row.getBytes(26) == null ? Map.of() : FieldStatistics.decode(row.getBytes(26)));
    }
}
