package dev.intake.local.store;

import dev.intake.core.StorageFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * Intake's local data in one SQLite file (or in memory): one connection, used by one thread at a
 * time, each unit of work a transaction. SQLite writes one transaction at a time anyway, so a
 * single connection costs nothing, and it makes every store operation atomic and isolated.
 */
public final class SqliteDatabase implements AutoCloseable {
    /** The file's name inside the data directory; open it with {@code sqlite3 .intake/intake.db}. */
    public static final String FILE_NAME = "intake.db";

    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS datasets (
          name TEXT PRIMARY KEY,
          schema TEXT NOT NULL,
          key_fields TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          generation TEXT NOT NULL,
          full_imported INTEGER NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS retired_generations (
          dataset TEXT NOT NULL,
          generation TEXT NOT NULL,
          PRIMARY KEY (dataset, generation))""",
        """
        CREATE TABLE IF NOT EXISTS jobs (
          name TEXT PRIMARY KEY,
          dataset TEXT NOT NULL,
          data_location TEXT NOT NULL,
          mode TEXT NOT NULL,
          status TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          failure_reason TEXT,
          role_arn TEXT,
          tags TEXT NOT NULL,
          publish_statistics INTEGER NOT NULL,
          max_failed_rows_percent REAL NOT NULL,
          added INTEGER NOT NULL,
          updated INTEGER NOT NULL,
          unchanged INTEGER NOT NULL,
          skipped INTEGER NOT NULL,
          failed INTEGER NOT NULL,
          files_total INTEGER NOT NULL,
          files_ingested INTEGER NOT NULL,
          files_discarded INTEGER NOT NULL,
          bytes INTEGER NOT NULL,
          statistics_location TEXT,
          error_report_location TEXT,
          trigger_type TEXT NOT NULL DEFAULT 'API',
          data_source TEXT)""",
        // The per-dataset queue: a dataset's unfinished jobs in creation order (a stopping job is
        // unfinished until its execution has ended). It replaces jobs_queue, which knew no STOPPING.
        "CREATE INDEX IF NOT EXISTS jobs_open_queue ON jobs (dataset, created_at, name) "
                + "WHERE status IN ('PENDING', 'IN_PROGRESS', 'STOPPING')",
        "DROP INDEX IF EXISTS jobs_queue",
        // Every job in creation order, of all datasets and of one (ListDatasetImportJobs).
        "CREATE INDEX IF NOT EXISTS jobs_by_creation ON jobs (created_at, name)",
        "CREATE INDEX IF NOT EXISTS jobs_by_dataset_creation ON jobs (dataset, created_at, name)",
        """
        CREATE TABLE IF NOT EXISTS chunk_results (
          job TEXT NOT NULL,
          idx INTEGER NOT NULL,
          pass INTEGER NOT NULL,
          added INTEGER NOT NULL,
          updated INTEGER NOT NULL,
          unchanged INTEGER NOT NULL,
          skipped INTEGER NOT NULL,
          failed INTEGER NOT NULL,
          errors TEXT NOT NULL,
          key_hashes TEXT,
          unwritten INTEGER NOT NULL,
          PRIMARY KEY (job, idx, pass))""",
        """
        CREATE TABLE IF NOT EXISTS records (
          dataset TEXT NOT NULL,
          generation TEXT NOT NULL,
          key TEXT NOT NULL,
          data TEXT NOT NULL,
          hash TEXT NOT NULL,
          job TEXT NOT NULL,
          seq INTEGER NOT NULL,
          base TEXT NOT NULL,
          history TEXT,
          PRIMARY KEY (dataset, generation, key)) WITHOUT ROWID""",
        // Datasets being deleted (absent: active); the row goes with the dataset.
        """
        CREATE TABLE IF NOT EXISTS dataset_deletions (
          dataset TEXT PRIMARY KEY,
          status TEXT NOT NULL)""",
        // The plan a job's first Plan step stored: a resumed or retried job imports exactly it.
        """
        CREATE TABLE IF NOT EXISTS job_plans (
          job TEXT PRIMARY KEY,
          plan_key TEXT NOT NULL)""",
        // Arrival batches still collecting objects (one per dataset, or dataset and data source).
        """
        CREATE TABLE IF NOT EXISTS open_batches (
          batch_key TEXT PRIMARY KEY,
          job TEXT NOT NULL,
          until INTEGER NOT NULL,
          objects INTEGER NOT NULL)""",
        // The latest arrival of each key: older and repeated notifications are duplicates.
        """
        CREATE TABLE IF NOT EXISTS object_arrivals (
          bucket TEXT NOT NULL,
          key TEXT NOT NULL,
          sequencer TEXT NOT NULL,
          job TEXT NOT NULL,
          PRIMARY KEY (bucket, key)) WITHOUT ROWID""",
        // The object versions each arrival-batch job imports.
        """
        CREATE TABLE IF NOT EXISTS batch_objects (
          job TEXT NOT NULL,
          bucket TEXT NOT NULL,
          key TEXT NOT NULL,
          size INTEGER NOT NULL,
          etag TEXT,
          version_id TEXT,
          sequencer TEXT NOT NULL,
          PRIMARY KEY (job, bucket, key)) WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS settings (
          name TEXT PRIMARY KEY,
          value BLOB NOT NULL)""",
        // The local queues (dev.intake.local.events.LocalQueue), dead-letter queues included: a message
        // received is hidden until visible_at (epoch ms); seq is the order messages were sent in.
        """
        CREATE TABLE IF NOT EXISTS queue_messages (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          queue TEXT NOT NULL,
          id TEXT NOT NULL UNIQUE,
          body TEXT NOT NULL,
          sent_at INTEGER NOT NULL,
          visible_at INTEGER NOT NULL,
          receive_count INTEGER NOT NULL,
          first_received_at INTEGER,
          receipt_handle TEXT)""",
        "CREATE INDEX IF NOT EXISTS queue_messages_visible ON queue_messages (queue, visible_at, seq)",
        // The outbox of job state-change events: the triggers below add a row in the same transaction
        // as every job created and every status change, so no change is missed or reported without
        // having happened; LocalJobEvents publishes the rows in id order and deletes them once delivered.
        """
        CREATE TABLE IF NOT EXISTS job_events (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          job TEXT NOT NULL,
          previous_status TEXT,
          status TEXT NOT NULL,
          at INTEGER NOT NULL)""",
        """
        CREATE TRIGGER IF NOT EXISTS job_created AFTER INSERT ON jobs BEGIN
          INSERT INTO job_events (job, previous_status, status, at) VALUES (NEW.name, NULL, NEW.status, NEW.updated_at);
        END""",
        """
        CREATE TRIGGER IF NOT EXISTS job_status_changed AFTER UPDATE OF status ON jobs WHEN OLD.status IS NOT NEW.status BEGIN
          INSERT INTO job_events (job, previous_status, status, at) VALUES (NEW.name, OLD.status, NEW.status, NEW.updated_at);
        END""",
        // Saved data sources; schedule_expression is null for a source without a schedule.
        """
        CREATE TABLE IF NOT EXISTS data_sources (
          name TEXT PRIMARY KEY,
          location TEXT NOT NULL,
          dataset TEXT NOT NULL,
          import_mode TEXT NOT NULL,
          schedule_expression TEXT,
          schedule_time_zone TEXT,
          enabled INTEGER NOT NULL,
          role_arn TEXT,
          max_failed_rows_percent REAL,
          tags TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          version INTEGER NOT NULL)""",
        // The Forecast dialect's documents (dataset groups, import-job settings), by kind and name.
        """
        CREATE TABLE IF NOT EXISTS forecast_resources (
          kind TEXT NOT NULL,
          name TEXT NOT NULL,
          document TEXT NOT NULL,
          version INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (kind, name))""",
        // Personalize's schemas and dataset groups (datasets: how many use each), its view of its
        // datasets (the records are the Intake dataset <grp>.<type>), and tags by resource.
        """
        CREATE TABLE IF NOT EXISTS pz_schemas (
          name TEXT PRIMARY KEY, schema TEXT NOT NULL, domain TEXT, created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL, datasets INTEGER NOT NULL DEFAULT 0)""",
        """
        CREATE TABLE IF NOT EXISTS pz_dataset_groups (
          name TEXT PRIMARY KEY, role_arn TEXT, kms_key_arn TEXT, domain TEXT, status TEXT NOT NULL,
          created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, datasets INTEGER NOT NULL DEFAULT 0)""",
        """
        CREATE TABLE IF NOT EXISTS pz_datasets (
          grp TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL, schema_name TEXT NOT NULL,
          created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, deleting INTEGER NOT NULL,
          PRIMARY KEY (grp, type))""",
        """
        CREATE TABLE IF NOT EXISTS pz_tags (resource TEXT PRIMARY KEY, tags TEXT NOT NULL, version INTEGER NOT NULL)""",
        // Dataset export jobs: the job as a JSON document; status is what every change is conditioned on.
        """
        CREATE TABLE IF NOT EXISTS export_jobs (
          name TEXT PRIMARY KEY, dataset TEXT NOT NULL, status TEXT NOT NULL, document TEXT NOT NULL)""",
        // The Lookout for Equipment dialect's documents (its datasets' views, ingestion jobs, client tokens).
        """
        CREATE TABLE IF NOT EXISTS lookout_resources (
          kind TEXT NOT NULL,
          name TEXT NOT NULL,
          document TEXT NOT NULL,
          version INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (kind, name))""",
        // The DataZone dialect's documents (domains, its view of data sources, runs, ...), by kind and name.
        """
        CREATE TABLE IF NOT EXISTS datazone_resources (
          kind TEXT NOT NULL,
          name TEXT NOT NULL,
          document TEXT NOT NULL,
          version INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (kind, name))"""
    };

    /**
     * Columns added after a table was first released: a data directory made by an older Intake
     * gets them (with their defaults) when it is opened, instead of failing on the first query.
     */
    private static final String[][] ADDED_COLUMNS = {
        {"jobs", "trigger_type", "TEXT NOT NULL DEFAULT 'API'"},
        {"jobs", "data_source", "TEXT"},
        {"jobs", "field_statistics", "BLOB"},
        {"chunk_results", "field_statistics", "BLOB"},
        {"chunk_results", "bytes", "INTEGER NOT NULL DEFAULT 0"},
        {"chunk_results", "line_breaks", "INTEGER NOT NULL DEFAULT 0"},
    };

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final String description;

    private SqliteDatabase(String url, String description) {
        this.description = description;
        try {
            SQLiteConfig config = new SQLiteConfig();
            // WAL: readers never wait for the writer, and a commit is an append, not a rewrite.
            // NORMAL: a commit survives a crash of the process (kill -9); only a power cut may
            // lose the last commits, never leave the file inconsistent.
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(10_000);
            // No table here has a rowid to report; asking for it after every write costs a query.
            config.setGetGeneratedKeys(false);
            this.connection = DriverManager.getConnection(url, config.toProperties());
            try (Statement s = connection.createStatement()) {
                for (String ddl : SCHEMA) {
                    s.execute(ddl);
                }
                for (String[] column : ADDED_COLUMNS) {
                    addColumnIfMissing(s, column[0], column[1], column[2]);
                }
            }
            connection.setAutoCommit(false);
            connection.commit();
        } catch (SQLException e) {
            throw failure("open", e);
        }
    }

    private static void addColumnIfMissing(Statement s, String table, String column, String definition) throws SQLException {
        try (var columns = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (columns.next()) {
                if (columns.getString("name").equals(column)) {
                    return;
                }
            }
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + definition);
    }

    /** A database that keeps nothing when it is closed. */
    public static SqliteDatabase inMemory() {
        return new SqliteDatabase("jdbc:sqlite::memory:", "the in-memory database");
    }

    /** The database file in {@code directory} (created if missing), kept between runs. */
    public static SqliteDatabase inDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot create the data directory " + directory + ": " + e.getMessage(), e);
        }
        Path file = directory.resolve(FILE_NAME).toAbsolutePath();
        return new SqliteDatabase("jdbc:sqlite:" + file, file.toString());
    }

    /** One unit of work, run as a transaction: committed if it returns, rolled back if it throws. */
    public interface Work<T> {
        T run(SqliteDatabase db) throws SQLException;
    }

    public <T> T transaction(String what, Work<T> work) {
        lock.lock();
        try {
            try {
                T result = work.run(this);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    // SQLite rolls back by itself on some errors (a full disk, for one), and then the
                    // driver's "transaction" is gone: start a fresh one, or every later unit of work
                    // would fail to commit, or commit statement by statement.
                    try {
                        connection.setAutoCommit(true);
                        connection.setAutoCommit(false);
                    } catch (SQLException resync) {
                        e.addSuppressed(resync);
                    }
                }
                if (e instanceof SQLException sql) {
                    throw failure(what, sql);
                }
                throw (RuntimeException) e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** A prepared statement, made once per SQL text and reused (only inside {@link #transaction}). */
    public PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        statement.clearParameters();
        return statement;
    }

    /**
     * Calls {@code listener} whenever a row is inserted into {@code table}, by a statement or a
     * trigger. It runs inside the inserting transaction, before it commits (or rolls back), on the
     * writer's thread: it may only signal another thread, which then waits for the transaction.
     * SQLite calls no such hook for WITHOUT ROWID tables (records), so bulk record writes pay nothing.
     */
    public void onInsert(String table, Runnable listener) {
        try {
            connection.unwrap(org.sqlite.SQLiteConnection.class).addUpdateListener((type, database, changed, rowId) -> {
                if (type == org.sqlite.SQLiteUpdateListener.Type.INSERT && changed.equals(table)) {
                    listener.run();
                }
            });
        } catch (SQLException e) {
            throw failure("watch " + table, e);
        }
    }

    /** Says what failed and where, without the SQL: a full disk or a read-only file reads as such. */
    private RuntimeException failure(String what, SQLException e) {
        String problem = machineProblem(e);
        if (problem != null) {
            return new StorageFailedException("The local database (" + description + ") could not " + what + ": "
                    + problem, e);
        }
        return new IllegalStateException("The local database (" + description + ") could not " + what + ": "
                + e.getMessage(), e);
    }

    /** What is wrong with the machine, in an operator's words, when that is what failed; else null. */
    static String machineProblem(SQLException e) {
        if (!(e instanceof org.sqlite.SQLiteException sqlite)) {
            return null;
        }
        return switch (sqlite.getResultCode().code & 0xFF) { // the primary code, without its extension
            case 13 -> "the disk is full (SQLITE_FULL); free space and start the import again";
            case 8 -> "the database file is read-only (SQLITE_READONLY); make it and its directory writable";
            case 14 -> "the database file cannot be opened (SQLITE_CANTOPEN); check that its directory exists and is"
                    + " writable";
            case 10 -> "the disk could not be read or written (SQLITE_IOERR): " + e.getMessage();
            case 3 -> "access to the database file was denied (SQLITE_PERM)";
            default -> null;
        };
    }

    @Override
    public void close() {
        lock.lock();
        try {
            for (PreparedStatement s : statements.values()) {
                s.close();
            }
            statements.clear();
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        } finally {
            lock.unlock();
        }
    }
}
