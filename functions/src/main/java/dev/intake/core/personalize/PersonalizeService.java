package dev.intake.core.personalize;

import dev.intake.core.Dataset;
import dev.intake.core.DatasetService;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.JobStore;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.PersonalizeStore;
import dev.intake.core.schema.SchemaField;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Personalize's data side on Intake's engine: schemas, dataset groups, datasets (each one Intake
 * dataset, so Intake's own operations see it too) and tags.
 */
public final class PersonalizeService {
    /** Personalize's limit of tags per resource. */
    public static final int MAX_TAGS = 50;
    private static final int TAG_ATTEMPTS = 5;

    /** What can carry tags, and the key its tags are stored under. */
    public enum Taggable {
        DATASET_GROUP("dataset-group"), DATASET("dataset"), IMPORT_JOB("dataset-import-job"),
        EXPORT_JOB("dataset-export-job");

        private final String prefix;

        Taggable(String prefix) {
            this.prefix = prefix;
        }

        public String resource(String name) {
            return prefix + "/" + name;
        }
    }

    /** A Personalize dataset with the Intake dataset that holds its records. */
    public record DatasetView(PersonalizeDataset personalize, Dataset dataset) {
    }

    private final PersonalizeStore store;
    private final dev.intake.core.ports.DatasetStore datasetStore;
    private final DatasetService datasets;
    private final JobStore jobs;
    private final Clock clock;
    /** Export jobs, whose tags from their creation are on the job (null: none kept). */
    private final dev.intake.core.ports.ExportJobStore exportJobs;

    public PersonalizeService(PersonalizeStore store, dev.intake.core.ports.DatasetStore datasetStore,
                              DatasetService datasets, JobStore jobs, Clock clock) {
        this(store, datasetStore, datasets, jobs, clock, null);
    }

    public PersonalizeService(PersonalizeStore store, dev.intake.core.ports.DatasetStore datasetStore,
                              DatasetService datasets, JobStore jobs, Clock clock,
                              dev.intake.core.ports.ExportJobStore exportJobs) {
        this.exportJobs = exportJobs;
        this.store = store;
        this.datasetStore = datasetStore;
        this.datasets = datasets;
        this.jobs = jobs;
        this.clock = clock;
    }

    // ---- schemas ----

    public PersonalizeSchema createSchema(String name, String schema, String domain) {
        dev.intake.core.schema.RecordSchema.parseFields(schema); // refuses what no dataset could use
        Instant now = clock.instant();
        PersonalizeSchema created = new PersonalizeSchema(name, schema, domain, now, now);
        store.createSchema(created);
        return created;
    }

    public PersonalizeSchema describeSchema(String name) {
        return store.findSchema(name).orElseThrow(() -> IntakeException.notFound("Schema '" + name + "' does not exist"));
    }

    public Page<PersonalizeSchema> listSchemas(String startAfter, int limit) {
        return store.listSchemas(startAfter, limit);
    }

    public void deleteSchema(String name) {
        try {
            store.deleteSchema(name);
        } catch (IntakeException e) {
            if (e.kind() != ErrorKind.IN_USE || releaseDeleted(null, d -> d.schemaName().equals(name)) == 0) {
                throw e;
            }
            store.deleteSchema(name);
        }
    }

    // ---- dataset groups ----

    public DatasetGroup createGroup(String name, String roleArn, String kmsKeyArn, String domain, Map<String, String> tags) {
        checkTags(tags);
        Instant now = clock.instant();
        DatasetGroup group = new DatasetGroup(name, roleArn, kmsKeyArn, domain, DatasetGroup.ACTIVE, now, now);
        store.createGroup(group, tags);
        return group;
    }

    public DatasetGroup describeGroup(String name) {
        return store.findGroup(name).orElseThrow(() -> IntakeException.notFound("Dataset group '" + name + "' does not exist"));
    }

    public Page<DatasetGroup> listGroups(String startAfter, int limit) {
        return store.listGroups(startAfter, limit);
    }

    public void deleteGroup(String name) {
        try {
            store.deleteGroup(name);
        } catch (IntakeException e) {
            if (e.kind() != ErrorKind.IN_USE || releaseDeleted(name, d -> true) == 0) {
                throw e;
            }
            store.deleteGroup(name);
        }
    }

    /**
     * Datasets deleted through Intake's own API (being deleted or gone there, still counted here)
     * free their group and schema as Personalize's DeleteDataset would.
     *
     * @return how many were released
     */
    private int releaseDeleted(String group, java.util.function.Predicate<PersonalizeDataset> which) {
        int released = 0;
        String after = null;
        do {
            Page<PersonalizeDataset> page = store.listDatasets(group, after, 100);
            for (PersonalizeDataset d : page.items()) {
                if (!d.deleting() && which.test(d)
                        && datasetStore.find(d.datasetName()).map(x -> x.status().deleting()).orElse(true)) {
                    store.datasetDeleting(d);
                    released++;
                }
            }
            after = page.lastKey();
        } while (after != null);
        return released;
    }

    // ---- datasets ----

    /**
     * Creates the group's dataset of a type: an Intake dataset named {@code <group>.<TYPE>} keyed as
     * the type says ({@link DatasetType#keyFields}), with the schema's fields.
     */
    public PersonalizeDataset createDataset(String name, String groupName, String typeText, String schemaName,
                                            Map<String, String> tags) {
        DatasetType type = DatasetType.parse(typeText);
        checkTags(tags);
        DatasetGroup group = describeGroup(groupName);
        PersonalizeSchema schema = describeSchema(schemaName);
        if (!java.util.Objects.equals(group.domain(), schema.domain())) {
            throw IntakeException.invalid("Schema '" + schemaName + "' has " + domainText(schema.domain())
                    + " and dataset group '" + groupName + "' has " + domainText(group.domain())
                    + "; a dataset's schema must have its group's domain");
        }
        List<String> keys = type.keyFields(dev.intake.core.schema.RecordSchema.parseFields(schema.schema()));
        Instant now = clock.instant();
        String datasetName = PersonalizeDataset.datasetName(groupName, type);
        dev.intake.core.schema.RecordSchema.parse(schema.schema(), keys); // key fields must be non-null, not floating
        Dataset dataset = new Dataset(datasetName, schema.schema(), keys, now, now, "initial-" + now.toEpochMilli(), false, 0);
        PersonalizeDataset created = new PersonalizeDataset(groupName, type, name, schemaName, now, now, false);
        try {
            store.createDataset(dataset, created, tags);
        } catch (IntakeException e) {
            if (e.kind() == ErrorKind.ALREADY_EXISTS && store.findDataset(groupName, type).filter(d -> !d.deleting()).isEmpty()) {
                throw new IntakeException(ErrorKind.IN_USE, "Dataset group '" + groupName + "' had a " + type.name()
                        + " dataset whose records are still being deleted; create it again when that one is gone");
            }
            throw e;
        }
        return created;
    }

    private static String domainText(String domain) {
        return domain == null ? "no domain" : "domain " + domain;
    }

    public DatasetView describeDataset(String groupName, DatasetType type) {
        PersonalizeDataset found = store.findDataset(groupName, type).orElseThrow(() -> datasetNotFound(groupName, type));
        Optional<Dataset> dataset = datasetStore.find(found.datasetName());
        if (dataset.isEmpty()) {
            throw datasetNotFound(groupName, type);
        }
        return new DatasetView(found, dataset.get());
    }

    private static IntakeException datasetNotFound(String group, DatasetType type) {
        return IntakeException.notFound("Dataset group '" + group + "' has no " + type.name() + " dataset");
    }

    /** The group's datasets (all groups' when null) whose records still exist, a page at a time. */
    public Page<DatasetView> listDatasets(String groupName, String startAfter, int limit) {
        Page<PersonalizeDataset> page = store.listDatasets(groupName, startAfter, limit);
        List<DatasetView> views = new ArrayList<>();
        for (PersonalizeDataset d : page.items()) {
            datasetStore.find(d.datasetName()).ifPresent(dataset -> views.add(new DatasetView(d, dataset)));
        }
        return new Page<>(views, page.lastKey());
    }

    /**
     * Gives a dataset a new schema. The stored records stay as they are; the new schema must read
     * every one of them: the same key, every field kept with its type (a required one may become
     * optional), and any new field optional (nullable or with a default).
     */
    public PersonalizeDataset updateDataset(String groupName, DatasetType type, String schemaName) {
        DatasetView current = describeDataset(groupName, type);
        if (current.personalize().deleting() || current.dataset().status().deleting()) {
            throw new IntakeException(ErrorKind.IN_USE, "Dataset " + groupName + "/" + type.name() + " is being deleted");
        }
        PersonalizeSchema schema = describeSchema(schemaName);
        DatasetGroup group = describeGroup(groupName);
        if (!java.util.Objects.equals(group.domain(), schema.domain())) {
            throw IntakeException.invalid("Schema '" + schemaName + "' has " + domainText(schema.domain())
                    + " and dataset group '" + groupName + "' has " + domainText(group.domain()));
        }
        List<SchemaField> newFields = dev.intake.core.schema.RecordSchema.parseFields(schema.schema());
        List<String> keys = type.keyFields(newFields);
        if (!keys.equals(current.dataset().keyFields())) {
            throw IntakeException.invalid("Schema '" + schemaName + "' would key the dataset by " + String.join(", ", keys)
                    + " instead of " + String.join(", ", current.dataset().keyFields()) + "; a dataset's key cannot change");
        }
        checkCompatible(current.dataset().recordSchema().fields(), newFields, schemaName);
        Instant now = clock.instant();
        store.changeSchema(current.personalize(), schemaName, schema.schema(), now);
        PersonalizeDataset p = current.personalize();
        return new PersonalizeDataset(p.group(), p.type(), p.name(), schemaName, p.createdAt(), now, false);
    }

    private static void checkCompatible(List<SchemaField> old, List<SchemaField> updated, String schemaName) {
        Map<String, SchemaField> byName = new LinkedHashMap<>();
        updated.forEach(f -> byName.put(f.name(), f));
        for (SchemaField was : old) {
            SchemaField now = byName.remove(was.name());
            if (now == null) {
                throw IntakeException.invalid("Schema '" + schemaName + "' drops field '" + was.name()
                        + "', which stored records have; a new schema may only add fields");
            }
            if (now.type() != was.type()) {
                throw IntakeException.invalid("Schema '" + schemaName + "' changes field '" + was.name() + "' from "
                        + was.type().avroName() + " to " + now.type().avroName() + "; stored records keep their values");
            }
            if (was.optional() && !now.optional()) {
                throw IntakeException.invalid("Schema '" + schemaName + "' makes optional field '" + was.name()
                        + "' required; stored records may lack it");
            }
        }
        for (SchemaField added : byName.values()) {
            if (!added.optional()) {
                throw IntakeException.invalid("Schema '" + schemaName + "' adds required field '" + added.name()
                        + "'; stored records lack it, so a new field must be nullable or have a default");
            }
        }
    }

    /**
     * Deletes a dataset through Intake's deletion workflow: DELETE PENDING at once, its records go
     * in steps; its group and schema are free from now on.
     */
    public void deleteDataset(String groupName, DatasetType type) {
        PersonalizeDataset found = store.findDataset(groupName, type).orElseThrow(() -> datasetNotFound(groupName, type));
        try {
            datasets.delete(found.datasetName());
        } catch (IntakeException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            if (found.deleting()) {
                throw datasetNotFound(groupName, type); // deleted, and its records are gone too
            }
            // its records went already (deleted through Intake's own API): only Personalize's view is left
        }
        store.datasetDeleting(found);
    }

    // ---- tags ----

    public Map<String, String> listTags(Taggable kind, String name) {
        return currentTags(kind, name).tags().tags();
    }

    public void tag(Taggable kind, String name, Map<String, String> add) {
        checkTags(add);
        changeTags(kind, name, tags -> {
            tags.putAll(add);
            if (tags.size() > MAX_TAGS) {
                throw new IntakeException(ErrorKind.TOO_MANY_TAGS, "The resource would have " + tags.size()
                        + " tags; at most " + MAX_TAGS + " are allowed");
            }
        });
    }

    public void untag(Taggable kind, String name, Collection<String> keys) {
        if (keys.size() > MAX_TAGS) {
            throw new IntakeException(ErrorKind.TOO_MANY_TAG_KEYS, "The request names " + keys.size()
                    + " tag keys; a resource has at most " + MAX_TAGS);
        }
        changeTags(kind, name, tags -> keys.forEach(tags::remove));
    }

    private void changeTags(Taggable kind, String name, java.util.function.Consumer<Map<String, String>> change) {
        for (int attempt = 1; ; attempt++) {
            CurrentTags current = currentTags(kind, name);
            Map<String, String> changed = new LinkedHashMap<>(current.tags().tags());
            change.accept(changed);
            try {
                store.putTags(current.resource(), changed, current.tags().version());
                return;
            } catch (IntakeException e) {
                if (e.kind() != ErrorKind.CONFLICT || attempt == TAG_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** A resource's tags and the key they are stored under. */
    private record CurrentTags(String resource, Tags tags) {
    }

    /** The resource's tags; NOT_FOUND if it does not exist. */
    private CurrentTags currentTags(Taggable kind, String name) {
        String resource = kind.resource(name);
        Map<String, String> initial = Map.of();
        switch (kind) {
            case DATASET_GROUP -> describeGroup(name);
            // a dataset made again under a name has new tags: their key names the dataset's creation
            case DATASET -> resource = Tags.datasetResource(datasets.describe(name));
            // a job's tags from its creation are on the job until they are first changed
            case IMPORT_JOB -> initial = jobs.find(name)
                    .orElseThrow(() -> IntakeException.notFound("Dataset import job '" + name + "' does not exist")).tags();
            // likewise an export job's
            case EXPORT_JOB -> initial = java.util.Optional.ofNullable(exportJobs).flatMap(e -> e.find(name))
                    .orElseThrow(() -> IntakeException.notFound("Dataset export job '" + name + "' does not exist")).tags();
            default -> throw new IllegalStateException(kind.name());
        }
        return new CurrentTags(resource, store.tags(resource).orElse(new Tags(initial, 0)));
    }


    /**
     * Checks tags given to a resource: at most {@value #MAX_TAGS}, none with the prefix {@code aws:}
     * (reserved for AWS's own tags).
     */
    public static void checkTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw new IntakeException(ErrorKind.TOO_MANY_TAGS, "The request has " + tags.size() + " tags; at most "
                    + MAX_TAGS + " are allowed per resource");
        }
        for (String key : tags.keySet()) {
            if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw IntakeException.invalid("Tag keys starting with 'aws:' are reserved for AWS's use");
            }
        }
    }
}
