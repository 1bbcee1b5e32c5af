package dev.intake.core.ports;

import dev.intake.core.Dataset;
import dev.intake.core.personalize.DatasetGroup;
import dev.intake.core.personalize.DatasetType;
import dev.intake.core.personalize.PersonalizeDataset;
import dev.intake.core.personalize.PersonalizeSchema;
import dev.intake.core.personalize.Tags;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Personalize's own resources: schemas, dataset groups, what Personalize knows of its datasets, and
 * tags. A schema and a group count the datasets that use them, changed in the same transaction as
 * the dataset, so neither can be deleted while one does.
 */
public interface PersonalizeStore {
    /** @throws dev.intake.core.IntakeException ALREADY_EXISTS if the name is taken */
    void createSchema(PersonalizeSchema schema);

    Optional<PersonalizeSchema> findSchema(String name);

    /** Schemas by name, after {@code startAfter} (exclusive, null for the first page). */
    Page<PersonalizeSchema> listSchemas(String startAfter, int limit);

    /** @throws dev.intake.core.IntakeException NOT_FOUND, or IN_USE while a dataset uses it */
    void deleteSchema(String name);

    /**
     * Stores a group with its tags (replacing any a former group of that name left).
     *
     * @throws dev.intake.core.IntakeException ALREADY_EXISTS if the name is taken
     */
    void createGroup(DatasetGroup group, Map<String, String> tags);

    Optional<DatasetGroup> findGroup(String name);

    /** Groups by name, after {@code startAfter} (exclusive, null for the first page). */
    Page<DatasetGroup> listGroups(String startAfter, int limit);

    /**
     * Removes a group and its tags.
     *
     * @throws dev.intake.core.IntakeException NOT_FOUND, or IN_USE while it has a dataset not being deleted
     */
    void deleteGroup(String name);

    /**
     * All or nothing: the Intake dataset, Personalize's view of it (replacing one being deleted), its
     * tags (under {@link Tags#datasetResource}), and one more use of its group (which must be ACTIVE)
     * and schema.
     *
     * @throws dev.intake.core.IntakeException ALREADY_EXISTS if the group has a dataset of the type
     *                                         or the Intake dataset exists (still being deleted);
     *                                         NOT_FOUND if the group or schema is gone
     */
    void createDataset(Dataset dataset, PersonalizeDataset personalize, Map<String, String> tags);

    Optional<PersonalizeDataset> findDataset(String group, DatasetType type);

    /**
     * Datasets of a group (or of all groups, when {@code group} is null) by group, then type name,
     * after {@code startAfter} (exclusive: a {@link Page#lastKey()}, null for the first page).
     */
    Page<PersonalizeDataset> listDatasets(String group, String startAfter, int limit);

    /**
     * All or nothing: the dataset uses {@code schemaName} (whose text {@code schema} the Intake
     * dataset takes, keeping its key) from {@code when}; the old schema has one use less.
     *
     * @throws dev.intake.core.IntakeException NOT_FOUND if the dataset or new schema is gone (or it
     *                                         is being deleted), IN_USE while imports into it are
     *                                         pending or running, CONFLICT if it changed meanwhile
     */
    void changeSchema(PersonalizeDataset dataset, String schemaName, String schema, Instant when);

    /**
     * DeleteDataset was called (the Intake dataset is marked for deletion): the dataset is marked
     * deleting and its group and schema have one use less. Nothing happens if it is marked already.
     */
    void datasetDeleting(PersonalizeDataset dataset);

    /** A resource's tags ({@code <type>/<name>}, as in its ARN), if any were stored. */
    Optional<Tags> tags(String resource);

    /**
     * Replaces a resource's tags if they are still at {@code expectedVersion} (0: none stored yet).
     *
     * @throws dev.intake.core.IntakeException CONFLICT if they changed meanwhile
     */
    void putTags(String resource, Map<String, String> tags, long expectedVersion);
}
