package dev.intake.local.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.personalize.DatasetGroup;
import dev.intake.core.personalize.DatasetType;
import dev.intake.core.personalize.PersonalizeDataset;
import dev.intake.core.personalize.PersonalizeSchema;
import dev.intake.core.personalize.Tags;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.PersonalizeStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Personalize's schemas, dataset groups, datasets and tags in the embedded database (tables pz_*). */
public final class SqlitePersonalizeStore implements PersonalizeStore {
    private static final String SCHEMA_COLUMNS = "name, schema, domain, created_at, updated_at";
    private static final String GROUP_COLUMNS = "name, role_arn, kms_key_arn, domain, status, created_at, updated_at";
    private static final String DATASET_COLUMNS = "grp, type, name, schema_name, created_at, updated_at, deleting";

    private final SqliteDatabase db;

    public SqlitePersonalizeStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void createSchema(PersonalizeSchema schema) {
        boolean created = db.transaction("create schema " + schema.name(), db -> {
            PreparedStatement insert = db.statement("INSERT INTO pz_schemas (" + SCHEMA_COLUMNS + ") VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (name) DO NOTHING");
            insert.setString(1, schema.name());
            insert.setString(2, schema.schema());
            insert.setString(3, schema.domain());
            insert.setLong(4, schema.createdAt().toEpochMilli());
            insert.setLong(5, schema.updatedAt().toEpochMilli());
            return insert.executeUpdate() == 1;
        });
        if (!created) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Schema '" + schema.name() + "' already exists");
        }
    }

    @Override
    public Optional<PersonalizeSchema> findSchema(String name) {
        return db.transaction("read schema " + name, db -> {
            PreparedStatement select = db.statement("SELECT " + SCHEMA_COLUMNS + " FROM pz_schemas WHERE name = ?");
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(toSchema(row)) : Optional.empty();
            }
        });
    }

    @Override
    public Page<PersonalizeSchema> listSchemas(String startAfter, int limit) {
        return db.transaction("list schemas", db -> page(db, "SELECT " + SCHEMA_COLUMNS + " FROM pz_schemas WHERE name > ?"
                + " ORDER BY name LIMIT ?", startAfter, limit, SqlitePersonalizeStore::toSchema, PersonalizeSchema::name));
    }

    @Override
    public void deleteSchema(String name) {
        db.transaction("delete schema " + name, db -> {
            int uses = uses(db, "pz_schemas", name, "Schema");
            if (uses > 0) {
                throw new IntakeException(ErrorKind.IN_USE, "Schema '" + name + "' is used by " + uses
                        + " dataset(s); delete them or give them another schema first");
            }
            PreparedStatement delete = db.statement("DELETE FROM pz_schemas WHERE name = ?");
            delete.setString(1, name);
            return delete.executeUpdate();
        });
    }

    @Override
    public void createGroup(DatasetGroup group, Map<String, String> tags) {
        boolean created = db.transaction("create dataset group " + group.name(), db -> {
            PreparedStatement insert = db.statement("INSERT INTO pz_dataset_groups (" + GROUP_COLUMNS + ") VALUES"
                    + " (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING");
            insert.setString(1, group.name());
            insert.setString(2, group.roleArn());
            insert.setString(3, group.kmsKeyArn());
            insert.setString(4, group.domain());
            insert.setString(5, group.status());
            insert.setLong(6, group.createdAt().toEpochMilli());
            insert.setLong(7, group.updatedAt().toEpochMilli());
            if (insert.executeUpdate() != 1) {
                return false;
            }
            writeTags(db, "dataset-group/" + group.name(), tags, 1);
            return true;
        });
        if (!created) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Dataset group '" + group.name() + "' already exists");
        }
    }

    @Override
    public Optional<DatasetGroup> findGroup(String name) {
        return db.transaction("read dataset group " + name, db -> findGroup(db, name));
    }

    private static Optional<DatasetGroup> findGroup(SqliteDatabase db, String name) throws SQLException {
        PreparedStatement select = db.statement("SELECT " + GROUP_COLUMNS + " FROM pz_dataset_groups WHERE name = ?");
        select.setString(1, name);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? Optional.of(toGroup(row)) : Optional.empty();
        }
    }

    @Override
    public Page<DatasetGroup> listGroups(String startAfter, int limit) {
        return db.transaction("list dataset groups", db -> page(db, "SELECT " + GROUP_COLUMNS + " FROM pz_dataset_groups"
                + " WHERE name > ? ORDER BY name LIMIT ?", startAfter, limit, SqlitePersonalizeStore::toGroup, DatasetGroup::name));
    }

    @Override
    public void deleteGroup(String name) {
        db.transaction("delete dataset group " + name, db -> {
            int uses = uses(db, "pz_dataset_groups", name, "Dataset group");
            if (uses > 0) {
                throw new IntakeException(ErrorKind.IN_USE, "Dataset group '" + name + "' has " + uses
                        + " dataset(s); delete them first");
            }
            PreparedStatement delete = db.statement("DELETE FROM pz_dataset_groups WHERE name = ?");
            delete.setString(1, name);
            delete.executeUpdate();
            PreparedStatement tags = db.statement("DELETE FROM pz_tags WHERE resource = ?");
            tags.setString(1, "dataset-group/" + name);
            return tags.executeUpdate();
        });
    }

    /** A schema's or group's count of datasets using it; NOT_FOUND if it does not exist. */
    private static int uses(SqliteDatabase db, String table, String name, String what) throws SQLException {
        PreparedStatement select = db.statement("SELECT datasets FROM " + table + " WHERE name = ?");
        select.setString(1, name);
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                throw IntakeException.notFound(what + " '" + name + "' does not exist");
            }
            return row.getInt(1);
        }
    }

    @Override
    public void createDataset(Dataset d, PersonalizeDataset p, Map<String, String> tags) {
        db.transaction("create dataset " + d.name(), db -> {
            Optional<DatasetGroup> group = findGroup(db, p.group());
            if (group.isEmpty() || !DatasetGroup.ACTIVE.equals(group.get().status())) {
                throw IntakeException.notFound("Dataset group '" + p.group() + "' does not exist");
            }
            if (findDataset(db, p.group(), p.type()).filter(existing -> !existing.deleting()).isPresent()) {
                throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Dataset group '" + p.group() + "' already has a "
                        + p.type().name() + " dataset");
            }
            if (count(db, "UPDATE pz_schemas SET datasets = datasets + 1 WHERE name = ?", p.schemaName()) != 1) {
                throw IntakeException.notFound("Schema '" + p.schemaName() + "' does not exist");
            }
            count(db, "UPDATE pz_dataset_groups SET datasets = datasets + 1 WHERE name = ?", p.group());
            PreparedStatement insert = db.statement("INSERT INTO datasets (name, schema, key_fields, created_at, updated_at, "
                    + "generation, full_imported) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING");
            insert.setString(1, d.name());
            insert.setString(2, d.schema());
            insert.setString(3, SqliteDatasetStore.json(d.keyFields()));
            insert.setLong(4, d.createdAt().toEpochMilli());
            insert.setLong(5, d.updatedAt().toEpochMilli());
            insert.setString(6, d.generation());
            insert.setInt(7, d.fullImported() ? 1 : 0);
            if (insert.executeUpdate() != 1) {
                throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Dataset '" + d.name() + "' already exists");
            }
            PreparedStatement put = db.statement("INSERT OR REPLACE INTO pz_datasets (" + DATASET_COLUMNS + ") VALUES"
                    + " (?, ?, ?, ?, ?, ?, ?)");
            bind(put, p);
            put.executeUpdate();
            writeTags(db, Tags.datasetResource(d), tags, 1);
            return null;
        });
    }

    private static int count(SqliteDatabase db, String sql, String name) throws SQLException {
        PreparedStatement update = db.statement(sql);
        update.setString(1, name);
        return update.executeUpdate();
    }

    @Override
    public Optional<PersonalizeDataset> findDataset(String group, DatasetType type) {
        return db.transaction("read dataset " + group + "/" + type, db -> findDataset(db, group, type));
    }

    private static Optional<PersonalizeDataset> findDataset(SqliteDatabase db, String group, DatasetType type)
            throws SQLException {
        PreparedStatement select = db.statement("SELECT " + DATASET_COLUMNS + " FROM pz_datasets WHERE grp = ? AND type = ?");
        select.setString(1, group);
        select.setString(2, type.name());
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? Optional.of(toDataset(row)) : Optional.empty();
        }
    }

    /** Page keys are {@code <group>/<TYPE>}, the order of the listing. */
    @Override
    public Page<PersonalizeDataset> listDatasets(String group, String startAfter, int limit) {
        return db.transaction("list datasets", db -> {
            PreparedStatement select = db.statement("SELECT " + DATASET_COLUMNS + " FROM pz_datasets"
                    + " WHERE (? IS NULL OR grp = ?) AND grp || '/' || type > ? ORDER BY grp || '/' || type LIMIT ?");
            select.setString(1, group);
            select.setString(2, group);
            select.setString(3, startAfter == null ? "" : startAfter);
            select.setInt(4, limit + 1);
            List<PersonalizeDataset> found = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    found.add(toDataset(row));
                }
            }
            List<PersonalizeDataset> items = found.subList(0, Math.min(limit, found.size()));
            PersonalizeDataset last = items.isEmpty() ? null : items.get(items.size() - 1);
            return new Page<>(items, found.size() > limit ? last.group() + "/" + last.type().name() : null);
        });
    }

    @Override
    public void changeSchema(PersonalizeDataset p, String schemaName, String schema, Instant when) {
        db.transaction("change the schema of dataset " + p.datasetName(), db -> {
            Optional<PersonalizeDataset> current = findDataset(db, p.group(), p.type());
            if (current.isEmpty() || current.get().deleting()) {
                throw IntakeException.notFound("Dataset group '" + p.group() + "' has no " + p.type().name() + " dataset");
            }
            if (!current.get().schemaName().equals(p.schemaName())) {
                throw new IntakeException(ErrorKind.CONFLICT, "Dataset " + p.group() + "/" + p.type().name()
                        + " was changed by another request meanwhile; describe it and update it again");
            }
            PreparedStatement dataset = db.statement("UPDATE datasets SET schema = ?, updated_at = ? WHERE name = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM jobs WHERE dataset = ? AND status IN ('PENDING', 'IN_PROGRESS'))"
                    + " AND name NOT IN (SELECT dataset FROM dataset_deletions)");
            dataset.setString(1, schema);
            dataset.setLong(2, when.toEpochMilli());
            dataset.setString(3, p.datasetName());
            dataset.setString(4, p.datasetName());
            if (dataset.executeUpdate() != 1) {
                throw new IntakeException(ErrorKind.IN_USE, "Dataset " + p.group() + "/" + p.type().name()
                        + " has imports pending or in progress (or is being deleted); update it when they have finished");
            }
            if (count(db, "UPDATE pz_schemas SET datasets = datasets + 1 WHERE name = ?", schemaName) != 1) {
                throw IntakeException.notFound("Schema '" + schemaName + "' does not exist");
            }
            count(db, "UPDATE pz_schemas SET datasets = datasets - 1 WHERE name = ?", p.schemaName());
            PreparedStatement link = db.statement("UPDATE pz_datasets SET schema_name = ?, updated_at = ? WHERE grp = ? AND type = ?");
            link.setString(1, schemaName);
            link.setLong(2, when.toEpochMilli());
            link.setString(3, p.group());
            link.setString(4, p.type().name());
            return link.executeUpdate();
        });
    }

    @Override
    public void datasetDeleting(PersonalizeDataset p) {
        db.transaction("mark dataset " + p.datasetName() + " deleting", db -> {
            PreparedStatement mark = db.statement("UPDATE pz_datasets SET deleting = 1 WHERE grp = ? AND type = ? AND deleting = 0");
            mark.setString(1, p.group());
            mark.setString(2, p.type().name());
            if (mark.executeUpdate() == 1) {
                Optional<PersonalizeDataset> marked = findDataset(db, p.group(), p.type());
                count(db, "UPDATE pz_schemas SET datasets = datasets - 1 WHERE name = ?", marked.get().schemaName());
                count(db, "UPDATE pz_dataset_groups SET datasets = datasets - 1 WHERE name = ?", p.group());
            }
            return null;
        });
    }

    @Override
    public Optional<Tags> tags(String resource) {
        return db.transaction("read tags of " + resource, db -> {
            PreparedStatement select = db.statement("SELECT tags, version FROM pz_tags WHERE resource = ?");
            select.setString(1, resource);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Tags(map(row.getString(1)), row.getLong(2))) : Optional.empty();
            }
        });
    }

    @Override
    public void putTags(String resource, Map<String, String> tags, long expectedVersion) {
        db.transaction("write tags of " + resource, db -> {
            PreparedStatement select = db.statement("SELECT version FROM pz_tags WHERE resource = ?");
            select.setString(1, resource);
            long version;
            try (ResultSet row = select.executeQuery()) {
                version = row.next() ? row.getLong(1) : 0;
            }
            if (version != expectedVersion) {
                throw new IntakeException(ErrorKind.CONFLICT, "The tags of " + resource + " changed meanwhile");
            }
            writeTags(db, resource, tags, version + 1);
            return null;
        });
    }

    private static void writeTags(SqliteDatabase db, String resource, Map<String, String> tags, long version)
            throws SQLException {
        PreparedStatement put = db.statement("INSERT OR REPLACE INTO pz_tags (resource, tags, version) VALUES (?, ?, ?)");
        put.setString(1, resource);
        put.setString(2, SqliteDatasetStore.json(tags));
        put.setLong(3, version);
        put.executeUpdate();
    }

    private interface Reader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private static <T> Page<T> page(SqliteDatabase db, String sql, String startAfter, int limit, Reader<T> reader,
                                    java.util.function.Function<T, String> keyOf) throws SQLException {
        PreparedStatement select = db.statement(sql);
        select.setString(1, startAfter == null ? "" : startAfter);
        select.setInt(2, limit + 1); // one more tells whether there is a next page
        List<T> found = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                found.add(reader.read(row));
            }
        }
        List<T> items = found.subList(0, Math.min(limit, found.size()));
        return new Page<>(items, found.size() > limit ? keyOf.apply(items.get(items.size() - 1)) : null);
    }

    private static void bind(PreparedStatement s, PersonalizeDataset p) throws SQLException {
        s.setString(1, p.group());
        s.setString(2, p.type().name());
        s.setString(3, p.name());
        s.setString(4, p.schemaName());
        s.setLong(5, p.createdAt().toEpochMilli());
        s.setLong(6, p.updatedAt().toEpochMilli());
        s.setInt(7, p.deleting() ? 1 : 0);
    }

    private static PersonalizeSchema toSchema(ResultSet row) throws SQLException {
        return new PersonalizeSchema(row.getString(1), row.getString(2), row.getString(3),
                Instant.ofEpochMilli(row.getLong(4)), Instant.ofEpochMilli(row.getLong(5)));
    }

    private static DatasetGroup toGroup(ResultSet row) throws SQLException {
        return new DatasetGroup(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                Instant.ofEpochMilli(row.getLong(6)), Instant.ofEpochMilli(row.getLong(7)));
    }

    private static PersonalizeDataset toDataset(ResultSet row) throws SQLException {
        return new PersonalizeDataset(row.getString(1), DatasetType.valueOf(row.getString(2)), row.getString(3),
                row.getString(4), Instant.ofEpochMilli(row.getLong(5)), Instant.ofEpochMilli(row.getLong(6)),
                row.getInt(7) == 1);
    }

    private static Map<String, String> map(String json) {
        try {
            return SqliteDatasetStore.JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database holds tags that are not JSON", e);
        }
    }
}
