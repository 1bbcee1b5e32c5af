package dev.intake.core.personalize;

import java.time.Instant;

/**
 * What Personalize knows of a dataset beyond Intake's own: its group, type, name and schema. The
 * records live in the Intake dataset {@link #datasetName()}.
 *
 * @param deleting DeleteDataset was called: the group and schema are free, and the Intake dataset is
 *                 being deleted (it is gone when that one is)
 */
public record PersonalizeDataset(String group, DatasetType type, String name, String schemaName, Instant createdAt,
                                 Instant updatedAt, boolean deleting) {

    /**
     * The Intake dataset of a group's dataset of a type: {@code <group>.<TYPE>}. Group names have no
     * '.', nor do names made through Intake's own API, so this never names anyone else's dataset.
     */
    public static String datasetName(String group, DatasetType type) {
        return group + "." + type.name();
    }

    public String datasetName() {
        return datasetName(group, type);
    }
}
