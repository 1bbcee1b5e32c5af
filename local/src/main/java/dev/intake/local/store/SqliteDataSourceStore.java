package dev.intake.local.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.intake.core.DataLocation;
import dev.intake.core.DataSource;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportMode;
import dev.intake.core.IntakeException;
import dev.intake.core.SourceSchedule;
import dev.intake.core.ports.DataSourceStore;
import dev.intake.core.ports.Page;
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

/** Saved data sources in the embedded database (table data_sources). */
public final class SqliteDataSourceStore implements DataSourceStore {
    private static final String COLUMNS = "name, location, dataset, import_mode, schedule_expression, schedule_time_zone,"
            + " enabled, role_arn, max_failed_rows_percent, tags, created_at, updated_at, version";

    private final SqliteDatabase db;

    public SqliteDataSourceStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void create(DataSource source) {
        boolean created = db.transaction("create data source " + source.name(), db -> {
            PreparedStatement insert = db.statement("INSERT INTO data_sources (" + COLUMNS + ") VALUES"
                    + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING");
            bind(insert, source);
            return insert.executeUpdate() == 1;
        });
        if (!created) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Data source '" + source.name() + "' already exists");
        }
    }

    @Override
    public Optional<DataSource> find(String name) {
        return db.transaction("read data source " + name, db -> find(db, name));
    }

    private static Optional<DataSource> find(SqliteDatabase db, String name) throws SQLException {
        PreparedStatement select = db.statement("SELECT " + COLUMNS + " FROM data_sources WHERE name = ?");
        select.setString(1, name);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? Optional.of(toSource(row)) : Optional.empty();
        }
    }

    @Override
    public Page<DataSource> list(String startAfter, int limit) {
        return db.transaction("list data sources", db -> {
            PreparedStatement select = db.statement("SELECT " + COLUMNS + " FROM data_sources WHERE name > ? ORDER BY name"
                    + " LIMIT ?");
            select.setString(1, startAfter == null ? "" : startAfter);
            select.setInt(2, limit + 1); // one more tells whether there is a next page
            List<DataSource> page = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    page.add(toSource(row));
                }
            }
            List<DataSource> items = page.subList(0, Math.min(limit, page.size()));
            return new Page<>(items, page.size() > limit ? items.get(items.size() - 1).name() : null);
        });
    }

    @Override
    public void update(DataSource source, long expectedVersion) {
        db.transaction("update data source " + source.name(), db -> {
            Optional<DataSource> current = find(db, source.name());
            if (current.isEmpty()) {
                throw IntakeException.notFound("Data source '" + source.name() + "' does not exist");
            }
            if (current.get().version() != expectedVersion) {
                throw new IntakeException(ErrorKind.CONFLICT, "Data source '" + source.name()
                        + "' was changed by another request meanwhile; describe it and update it again");
            }
            PreparedStatement replace = db.statement("INSERT OR REPLACE INTO data_sources (" + COLUMNS + ") VALUES"
                    + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            bind(replace, source);
            return replace.executeUpdate();
        });
    }

    @Override
    public void delete(String name) {
        db.transaction("delete data source " + name, db -> {
            PreparedStatement delete = db.statement("DELETE FROM data_sources WHERE name = ?");
            delete.setString(1, name);
            return delete.executeUpdate();
        });
    }

    @Override
    public List<DataSource> all() {
        return db.transaction("read all data sources", db -> {
            List<DataSource> all = new ArrayList<>();
            try (ResultSet row = db.statement("SELECT " + COLUMNS + " FROM data_sources ORDER BY name").executeQuery()) {
                while (row.next()) {
                    all.add(toSource(row));
                }
            }
            return all;
        });
    }

    private static void bind(PreparedStatement statement, DataSource s) throws SQLException {
        statement.setString(1, s.name());
        statement.setString(2, s.location().uri());
        statement.setString(3, s.datasetName());
        statement.setString(4, s.importMode().name());
        statement.setString(5, s.schedule() == null ? null : s.schedule().expression().text());
        statement.setString(6, s.schedule() == null ? null : s.schedule().timeZone().getId());
        statement.setInt(7, s.enabled() ? 1 : 0);
        statement.setString(8, s.roleArn());
        if (s.maxFailedRowsPercent() == null) {
            statement.setNull(9, Types.REAL);
        } else {
            statement.setDouble(9, s.maxFailedRowsPercent());
        }
        statement.setString(10, SqliteDatasetStore.json(s.tags()));
        statement.setLong(11, s.createdAt().toEpochMilli());
        statement.setLong(12, s.updatedAt().toEpochMilli());
        statement.setLong(13, s.version());
    }

    private static DataSource toSource(ResultSet row) throws SQLException {
        String expression = row.getString(5);
        double maxFailed = row.getDouble(9);
        Double maxFailedRowsPercent = row.wasNull() ? null : maxFailed;
        return new DataSource(row.getString(1), DataLocation.parse(row.getString(2)), row.getString(3),
                ImportMode.valueOf(row.getString(4)), expression == null ? null : SourceSchedule.of(expression, row.getString(6)),
                row.getInt(7) == 1, row.getString(8), maxFailedRowsPercent, tags(row.getString(10)),
                Instant.ofEpochMilli(row.getLong(11)), Instant.ofEpochMilli(row.getLong(12)), row.getLong(13));
    }

    private static Map<String, String> tags(String json) {
        try {
            return SqliteDatasetStore.JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database holds tags that are not JSON", e);
        }
    }
}
