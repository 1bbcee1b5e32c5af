package dev.intake.local.store;

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.Page;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A dialect's opaque, versioned documents in one table of the embedded database (columns kind, name,
 * document, version, created_at, updated_at; key (kind, name)). The Forecast, Lookout for Equipment
 * and DataZone stores are this, each with its own table, kinds and entry type.
 */
final class SqliteDocuments<K extends Enum<K>, E> {
    /** Makes a dialect's entry from a stored row. */
    interface Entries<K, E> {
        E entry(K kind, String name, String document, long version, Instant createdAt, Instant updatedAt);
    }

    private static final String COLUMNS = "kind, name, document, version, created_at, updated_at";

    private final SqliteDatabase db;
    private final String table;
    private final Function<String, K> kinds;
    private final BiFunction<K, String, String> describe;
    private final Entries<K, E> entries;

    /**
     * @param kinds    the kind of a stored kind's name ({@code Kind::valueOf})
     * @param describe how messages name an entry of a kind ("Dataset group 'x'")
     */
    SqliteDocuments(SqliteDatabase db, String table, Function<String, K> kinds, BiFunction<K, String, String> describe,
                    Entries<K, E> entries) {
        this.db = db;
        this.table = table;
        this.kinds = kinds;
        this.describe = describe;
        this.entries = entries;
    }

    void create(K kind, String name, String document, Instant at) {
        boolean created = db.transaction("create " + describe.apply(kind, name), db -> {
            PreparedStatement insert = db.statement("INSERT INTO " + table + " (" + COLUMNS + ") VALUES"
                    + " (?, ?, ?, 1, ?, ?) ON CONFLICT (kind, name) DO NOTHING");
            insert.setString(1, kind.name());
            insert.setString(2, name);
            insert.setString(3, document);
            insert.setLong(4, at.toEpochMilli());
            insert.setLong(5, at.toEpochMilli());
            return insert.executeUpdate() == 1;
        });
        if (!created) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, describe.apply(kind, name) + " already exists");
        }
    }

    Optional<E> find(K kind, String name) {
        return db.transaction("read " + describe.apply(kind, name), db -> find(db, kind, name));
    }

    private Optional<E> find(SqliteDatabase db, K kind, String name) throws SQLException {
        PreparedStatement select = db.statement("SELECT " + COLUMNS + " FROM " + table + " WHERE kind = ? AND name = ?");
        select.setString(1, kind.name());
        select.setString(2, name);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? Optional.of(toEntry(row)) : Optional.empty();
        }
    }

    /** Entries of a kind by name after {@code startAfter}; the page's last key is the last entry's name. */
    Page<E> list(K kind, String startAfter, int limit, Function<E, String> nameOf) {
        return list(kind, "", startAfter, limit, nameOf);
    }

    /** As above, of the entries whose names start with {@code prefix} ("" for all). */
    Page<E> list(K kind, String prefix, String startAfter, int limit, Function<E, String> nameOf) {
        return db.transaction("list " + kind, db -> {
            PreparedStatement select = db.statement("SELECT " + COLUMNS + " FROM " + table
                    + " WHERE kind = ? AND substr(name, 1, ?) = ? AND name > ? ORDER BY name LIMIT ?");
            select.setString(1, kind.name());
            select.setInt(2, prefix.length());
            select.setString(3, prefix);
            select.setString(4, startAfter == null ? "" : startAfter);
            select.setInt(5, limit + 1); // one more tells whether there is a next page
            List<E> page = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    page.add(toEntry(row));
                }
            }
            List<E> items = page.subList(0, Math.min(limit, page.size()));
            return new Page<>(items, page.size() > limit ? nameOf.apply(items.get(items.size() - 1)) : null);
        });
    }

    void update(K kind, String name, String document, long expectedVersion, Instant at) {
        db.transaction("update " + describe.apply(kind, name), db -> {
            PreparedStatement update = db.statement("UPDATE " + table + " SET document = ?, version = version + 1,"
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
                throw IntakeException.notFound(describe.apply(kind, name) + " does not exist");
            }
            throw new IntakeException(ErrorKind.CONFLICT, describe.apply(kind, name)
                    + " was changed by another request meanwhile; describe it and try again");
        });
    }

    void delete(K kind, String name) {
        db.transaction("delete " + describe.apply(kind, name), db -> {
            PreparedStatement delete = db.statement("DELETE FROM " + table + " WHERE kind = ? AND name = ?");
            delete.setString(1, kind.name());
            delete.setString(2, name);
            return delete.executeUpdate();
        });
    }

    /** Writes many documents of a kind whole (version 1, created and updated at {@code at}), replacing any of the same name; one transaction. */
    void putAll(K kind, Map<String, String> documents, Instant at) {
        db.transaction("write " + documents.size() + " " + kind, db -> {
            PreparedStatement upsert = db.statement("INSERT INTO " + table + " (" + COLUMNS + ") VALUES"
                    + " (?, ?, ?, 1, ?, ?) ON CONFLICT (kind, name) DO UPDATE SET document = excluded.document,"
                    + " version = 1, created_at = excluded.created_at, updated_at = excluded.updated_at");
            for (Map.Entry<String, String> document : documents.entrySet()) {
                upsert.setString(1, kind.name());
                upsert.setString(2, document.getKey());
                upsert.setString(3, document.getValue());
                upsert.setLong(4, at.toEpochMilli());
                upsert.setLong(5, at.toEpochMilli());
                upsert.executeUpdate();
            }
            return documents.size();
        });
    }

    /** Removes every document of a kind whose name starts with {@code prefix} (not empty); answers how many. */
    int deleteAll(K kind, String prefix) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("deleting all the documents of a kind needs a prefix");
        }
        return db.transaction("delete " + kind + " under " + prefix, db -> {
            PreparedStatement delete = db.statement("DELETE FROM " + table + " WHERE kind = ? AND substr(name, 1, ?) = ?");
            delete.setString(1, kind.name());
            delete.setInt(2, prefix.length());
            delete.setString(3, prefix);
            return delete.executeUpdate();
        });
    }

    private E toEntry(ResultSet row) throws SQLException {
        return entries.entry(kinds.apply(row.getString(1)), row.getString(2), row.getString(3), row.getLong(4),
                Instant.ofEpochMilli(row.getLong(5)), Instant.ofEpochMilli(row.getLong(6)));
    }
}
