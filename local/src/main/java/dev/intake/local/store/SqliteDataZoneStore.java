package dev.intake.local.store;

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DataZoneStore;
import dev.intake.core.ports.Page;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The DataZone dialect's documents in the embedded database (table datazone_resources). */
public final class SqliteDataZoneStore implements DataZoneStore {
    private static final String COLUMNS = "kind, name, document, version, created_at, updated_at";

    private final SqliteDatabase db;

    public SqliteDataZoneStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void create(Kind kind, String name, String document, Instant at) {
        boolean created = db.transaction("create " + describe(kind, name), db -> {
            PreparedStatement insert = db.statement("INSERT INTO datazone_resources (" + COLUMNS + ") VALUES"
                    + " (?, ?, ?, 1, ?, ?) ON CONFLICT (kind, name) DO NOTHING");
            insert.setString(1, kind.name());
            insert.setString(2, name);
            insert.setString(3, document);
            insert.setLong(4, at.toEpochMilli());
            insert.setLong(5, at.toEpochMilli());
            return insert.executeUpdate() == 1;
        });
        if (!created) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, describe(kind, name) + " already exists");
        }
    }

    @Override
    public Optional<Entry> find(Kind kind, String name) {
        return db.transaction("read " + describe(kind, name), db -> find(db, kind, name));
    }

    private static Optional<Entry> find(SqliteDatabase db, Kind kind, String name) throws SQLException {
        PreparedStatement select = db.statement("SELECT " + COLUMNS + " FROM datazone_resources WHERE kind = ? AND name = ?");
        select.setString(1, kind.name());
        select.setString(2, name);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? Optional.of(toEntry(row)) : Optional.empty();
        }
    }

    @Override
    public Page<Entry> list(Kind kind, String prefix, String startAfter, int limit) {
        return db.transaction("list " + kind, db -> {
            PreparedStatement select = db.statement("SELECT " + COLUMNS + " FROM datazone_resources"
                    + " WHERE kind = ? AND substr(name, 1, ?) = ? AND name > ? ORDER BY name LIMIT ?");
            select.setString(1, kind.name());
            select.setInt(2, prefix.length());
            select.setString(3, prefix);
            select.setString(4, startAfter == null ? "" : startAfter);
            select.setInt(5, limit + 1); // one more tells whether there is a next page
            List<Entry> page = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    page.add(toEntry(row));
                }
            }
            List<Entry> items = page.subList(0, Math.min(limit, page.size()));
            return new Page<>(items, page.size() > limit ? items.get(items.size() - 1).name() : null);
        });
    }

    @Override
    public void update(Kind kind, String name, String document, long expectedVersion, Instant at) {
        db.transaction("update " + describe(kind, name), db -> {
            PreparedStatement update = db.statement("UPDATE datazone_resources SET document = ?, version = version + 1,"
                    + " updated_at = ? WHERE kind = ? AND name = ? AND version = ?");
            update.setString(1, document);
            update.setLong(2, at.toEpochMilli());
            update.setString(3, kind.name());
            update.setString(4, name);
            update.setLong(5, expectedVersion);
            if (update.executeUpdate() == 1) {
                return 1;
            }
            if (find(db, kind, name).isEmpty()) {
                throw IntakeException.notFound(describe(kind, name) + " does not exist");
            }
            throw new IntakeException(ErrorKind.CONFLICT, describe(kind, name)
                    + " was changed by another request meanwhile; describe it and try again");
        });
    }

    @Override
    public void delete(Kind kind, String name) {
        db.transaction("delete " + describe(kind, name), db -> {
            PreparedStatement delete = db.statement("DELETE FROM datazone_resources WHERE kind = ? AND name = ?");
            delete.setString(1, kind.name());
            delete.setString(2, name);
            return delete.executeUpdate();
        });
    }

    private static String describe(Kind kind, String name) {
        return DataZoneStore.describe(kind, name);
    }

    private static Entry toEntry(ResultSet row) throws SQLException {
        return new Entry(Kind.valueOf(row.getString(1)), row.getString(2), row.getString(3), row.getLong(4),
                Instant.ofEpochMilli(row.getLong(5)), Instant.ofEpochMilli(row.getLong(6)));
    }
}
