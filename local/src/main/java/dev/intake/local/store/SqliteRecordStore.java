package dev.intake.local.store;

import dev.intake.core.ports.RecordHistory;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.RecordEntry;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.RecordWrite;
import dev.intake.core.ports.StoredRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Records in the embedded database, one row per record and generation. A batch of writes is one
 * transaction in which each write applies only if its key still holds what it was decided on.
 */
public final class SqliteRecordStore implements RecordStore {
    /** Keys per transaction: fewer, larger transactions; well under SQLite's 32,766 bound parameters. */
    static final int MAX_BATCH = 500;

    private final SqliteDatabase db;

    public SqliteRecordStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    @Override
    public Map<String, StoredRecord> read(String dataset, String generation, Collection<String> keys) {
        requireBatchOf(keys.size());
        if (keys.isEmpty()) {
            return Map.of();
        }
        return db.transaction("read records of " + dataset, db -> {
            PreparedStatement select = db.statement("SELECT key, hash, job, seq, base, history FROM records "
                    + "WHERE dataset = ? AND generation = ? AND key IN (" + "?, ".repeat(keys.size() - 1) + "?)");
            select.setString(1, dataset);
            select.setString(2, generation);
            int i = 3;
            for (String key : keys) {
                select.setString(i++, key);
            }
            Map<String, StoredRecord> found = new HashMap<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    found.put(row.getString(1), new StoredRecord(row.getString(1), row.getString(2), row.getString(3),
                            row.getLong(4), row.getString(5), RecordHistory.decode(row.getString(6))));
                }
            }
            return found;
        });
    }

    @Override
    public Set<String> write(String dataset, String generation, String job, List<RecordWrite> writes) {
        requireBatchOf(writes.size());
        return db.transaction("write records of " + dataset, db -> {
            // Two batches, new keys and replaced ones; each statement reports whether it applied.
            PreparedStatement insert = db.statement("INSERT INTO records (data, hash, job, seq, base, history, dataset, "
                    + "generation, key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            PreparedStatement update = db.statement("UPDATE records SET data = ?, hash = ?, job = ?, seq = ?, base = ?, "
                    + "history = ? WHERE dataset = ? AND generation = ? AND key = ? AND job = ? AND seq = ?");
            List<String> inserted = new ArrayList<>();
            List<String> updated = new ArrayList<>();
            for (RecordWrite w : writes) {
                PreparedStatement s = w.expected() == null ? insert : update;
                s.setString(1, w.canonical());
                s.setString(2, w.hash());
                s.setString(3, job);
                s.setLong(4, w.seq());
                s.setString(5, w.base());
                s.setString(6, w.history().isEmpty() ? null : RecordHistory.encode(w.history()));
                s.setString(7, dataset);
                s.setString(8, generation);
                s.setString(9, w.key());
                if (w.expected() == null) {
                    inserted.add(w.key());
                } else {
                    s.setString(10, w.expected().job());
                    s.setLong(11, w.expected().seq());
                    updated.add(w.key());
                }
                s.addBatch();
            }
            Set<String> changed = new TreeSet<>();
            unapplied(inserted.isEmpty() ? new int[0] : insert.executeBatch(), inserted, changed);
            unapplied(updated.isEmpty() ? new int[0] : update.executeBatch(), updated, changed);
            return changed;
        });
    }

    private static void unapplied(int[] counts, List<String> keys, Set<String> changed) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 1) {
                changed.add(keys.get(i));
            }
        }
    }

    @Override
    public Optional<String> get(String dataset, String generation, String key) {
        return db.transaction("read a record of " + dataset, db -> {
            PreparedStatement select = db.statement("SELECT data FROM records WHERE dataset = ? AND generation = ? AND key = ?");
            select.setString(1, dataset);
            select.setString(2, generation);
            select.setString(3, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public boolean deleteSome(String dataset, String generation, int max) {
        return db.transaction("delete records of generation " + generation + " of " + dataset, db -> {
            PreparedStatement delete = db.statement("DELETE FROM records WHERE (dataset, generation, key) IN "
                    + "(SELECT dataset, generation, key FROM records WHERE dataset = ? AND generation = ? LIMIT ?)");
            delete.setString(1, dataset);
            delete.setString(2, generation);
            delete.setInt(3, max);
            return delete.executeUpdate() < max;
        });
    }

    /** In key order; the cursor is the last key read. */
    @Override
    public Page<RecordEntry> list(String dataset, String generation, String cursor, int max) {
        return db.transaction("list records of generation " + generation + " of " + dataset, db -> {
            PreparedStatement select = db.statement("SELECT key, data FROM records WHERE dataset = ? AND generation = ?"
                    + " AND key > ? ORDER BY key LIMIT ?");
            select.setString(1, dataset);
            select.setString(2, generation);
            select.setString(3, cursor == null ? "" : cursor);
            select.setInt(4, max);
            List<RecordEntry> found = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    found.add(new RecordEntry(row.getString(1), row.getString(2)));
                }
            }
            return new Page<>(found, found.size() < max ? null : found.get(found.size() - 1).key());
        });
    }
}
