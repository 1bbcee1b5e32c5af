package dev.intake.local.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.Page;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Datasets in the embedded database; a dataset's pending and running imports are counted from its jobs. */
public final class SqliteDatasetStore implements DatasetStore {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A dataset with what is derived from other tables: its unfinished imports and its retired generations. */
    private static final String COLUMNS = "name, schema, key_fields, created_at, updated_at, generation, full_imported, "
            + "(SELECT COUNT(*) FROM jobs WHERE jobs.dataset = datasets.name AND jobs.status IN ('PENDING', 'IN_PROGRESS')), "
            + "(SELECT json_group_array(generation) FROM retired_generations r WHERE r.dataset = datasets.name), "
            + "(SELECT status FROM dataset_deletions d WHERE d.dataset = datasets.name)";

    private final SqliteDatabase db;

    public SqliteDatasetStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void create(Dataset d) {
        boolean created = db.transaction("create dataset " + d.name(), db -> {
            PreparedStatement insert = db.statement("INSERT INTO datasets (name, schema, key_fields, created_at, updated_at, "
                    + "generation, full_imported) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING");
            insert.setString(1, d.name());
            insert.setString(2, d.schema());
            insert.setString(3, json(d.keyFields()));
            insert.setLong(4, d.createdAt().toEpochMilli());
            insert.setLong(5, d.updatedAt().toEpochMilli());
            insert.setString(6, d.generation());
            insert.setInt(7, d.fullImported() ? 1 : 0);
            return insert.executeUpdate() == 1;
        });
        if (!created) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Dataset '" + d.name() + "' already exists");
        }
    }

    @Override
    public Optional<Dataset> find(String name) {
        return db.transaction("read dataset " + name, db -> find(db, name));
    }

    private static Optional<Dataset> find(SqliteDatabase db, String name) throws SQLException {
        PreparedStatement select = db.statement("SELECT " + COLUMNS + " FROM datasets WHERE name = ?");
        select.setString(1, name);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? Optional.of(toDataset(row)) : Optional.empty();
        }
    }

    @Override
    public Page<Dataset> list(String startAfter, int limit) {
        return db.transaction("list datasets", db -> {
            PreparedStatement select = db.statement("SELECT " + COLUMNS + " FROM datasets WHERE name > ? ORDER BY name LIMIT ?");
            select.setString(1, startAfter == null ? "" : startAfter);
            select.setInt(2, limit + 1); // one more tells whether there is a next page
            List<Dataset> page = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    page.add(toDataset(row));
                }
            }
            List<Dataset> items = page.subList(0, Math.min(limit, page.size()));
            return new Page<>(items, page.size() > limit ? items.get(items.size() - 1).name() : null);
        });
    }

    @Override
    public Dataset markDeleting(String name) {
        return db.transaction("mark dataset " + name + " deleting", db -> {
            Dataset current = find(db, name).orElseThrow(() -> IntakeException.notFound("Dataset '" + name + "' does not exist"));
            if (current.activeJobs() > 0) {
                throw new IntakeException(ErrorKind.IN_USE, "Dataset '" + name + "' has " + current.activeJobs()
                        + " import job(s) pending or in progress; delete it when they have finished");
            }
            PreparedStatement mark = db.statement("INSERT INTO dataset_deletions (dataset, status) VALUES (?, ?) "
                    + "ON CONFLICT (dataset) DO NOTHING");
            mark.setString(1, name);
            mark.setString(2, Dataset.Status.DELETE_PENDING.name());
            mark.executeUpdate();
            return find(db, name).orElseThrow();
        });
    }

    @Override
    public void deletionStarted(String name) {
        db.transaction("start deleting dataset " + name, db -> {
            PreparedStatement update = db.statement("UPDATE dataset_deletions SET status = ? WHERE dataset = ? AND status = ?");
            update.setString(1, Dataset.Status.DELETE_IN_PROGRESS.name());
            update.setString(2, name);
            update.setString(3, Dataset.Status.DELETE_PENDING.name());
            return update.executeUpdate();
        });
    }

    @Override
    public void forget(String name) {
        db.transaction("forget deleted dataset " + name, db -> {
            PreparedStatement deleting = db.statement("SELECT 1 FROM dataset_deletions WHERE dataset = ?");
            deleting.setString(1, name);
            try (ResultSet row = deleting.executeQuery()) {
                if (!row.next()) {
                    return null; // never an active dataset
                }
            }
            for (String sql : new String[] {"DELETE FROM datasets WHERE name = ?",
                    "DELETE FROM retired_generations WHERE dataset = ?", "DELETE FROM dataset_deletions WHERE dataset = ?"}) {
                PreparedStatement delete = db.statement(sql);
                delete.setString(1, name);
                delete.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void generationDeleted(String name, String generation) {
        db.transaction("forget generation " + generation + " of " + name, db -> {
            PreparedStatement delete = db.statement("DELETE FROM retired_generations WHERE dataset = ? AND generation = ?");
            delete.setString(1, name);
            delete.setString(2, generation);
            return delete.executeUpdate();
        });
    }

    private static Dataset toDataset(ResultSet row) throws SQLException {
        return new Dataset(row.getString(1), row.getString(2), list(row.getString(3)), Instant.ofEpochMilli(row.getLong(4)),
                Instant.ofEpochMilli(row.getLong(5)), row.getString(6), row.getInt(7) == 1, row.getInt(8),
                Set.copyOf(list(row.getString(9))),
                row.getString(10) == null ? Dataset.Status.ACTIVE : Dataset.Status.valueOf(row.getString(10)));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("lists and maps of strings always serialise", e);
        }
    }

    private static List<String> list(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database holds a list that is not JSON", e);
        }
    }
}
