package dev.intake.local.store;

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.export.ExportJob;
import dev.intake.core.export.ExportJobCodec;
import dev.intake.core.export.ExportStatus;
import dev.intake.core.ports.ExportJobStore;
import dev.intake.core.ports.Page;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Dataset export jobs in the embedded database (table export_jobs). */
public final class SqliteExportJobStore implements ExportJobStore {
    private final SqliteDatabase db;

    public SqliteExportJobStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void create(ExportJob job) {
        boolean created = db.transaction("create export job " + job.name(), db -> {
            PreparedStatement insert = db.statement("INSERT INTO export_jobs (name, dataset, status, document)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING");
            insert.setString(1, job.name());
            insert.setString(2, job.dataset());
            insert.setString(3, job.status().name());
            insert.setString(4, ExportJobCodec.encode(job));
            return insert.executeUpdate() == 1;
        });
        if (!created) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Dataset export job '" + job.name() + "' already exists");
        }
    }

    @Override
    public Optional<ExportJob> find(String name) {
        return db.transaction("read export job " + name, db -> {
            PreparedStatement select = db.statement("SELECT document FROM export_jobs WHERE name = ?");
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(ExportJobCodec.decode(row.getString(1))) : Optional.empty();
            }
        });
    }

    @Override
    public Page<ExportJob> list(String dataset, String startAfter, int limit) {
        return db.transaction("list export jobs", db -> {
            PreparedStatement select = db.statement("SELECT document FROM export_jobs WHERE name > ?"
                    + " AND (? IS NULL OR dataset = ?) ORDER BY name LIMIT ?");
            select.setString(1, startAfter == null ? "" : startAfter);
            select.setString(2, dataset);
            select.setString(3, dataset);
            select.setInt(4, limit + 1); // one more tells whether there is a next page
            List<ExportJob> found = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    found.add(ExportJobCodec.decode(row.getString(1)));
                }
            }
            List<ExportJob> items = found.subList(0, Math.min(limit, found.size()));
            return new Page<>(items, found.size() > limit ? items.get(items.size() - 1).name() : null);
        });
    }

    @Override
    public boolean replace(ExportJob job, ExportStatus expected) {
        return db.transaction("update export job " + job.name(), db -> {
            PreparedStatement update = db.statement("UPDATE export_jobs SET status = ?, document = ?"
                    + " WHERE name = ? AND status = ?");
            update.setString(1, job.status().name());
            update.setString(2, ExportJobCodec.encode(job));
            update.setString(3, job.name());
            update.setString(4, expected.name());
            return update.executeUpdate() == 1;
        });
    }
}
