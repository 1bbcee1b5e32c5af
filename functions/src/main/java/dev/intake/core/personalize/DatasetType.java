package dev.intake.core.personalize;

import dev.intake.core.IntakeException;
import dev.intake.core.schema.SchemaField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Personalize's dataset types, and the record key each gives its dataset: the id field of Users,
 * Items and Actions; for interactions the fields that identify one event (who, what, when, and
 * EVENT_TYPE when the schema has it: two events at the same instant differ by their type).
 */
public enum DatasetType {
    INTERACTIONS(List.of("USER_ID", "ITEM_ID", "TIMESTAMP")),
    ITEMS(List.of("ITEM_ID")),
    USERS(List.of("USER_ID")),
    ACTIONS(List.of("ACTION_ID")),
    ACTION_INTERACTIONS(List.of("USER_ID", "ACTION_ID", "TIMESTAMP"));

    private final List<String> requiredKeys;

    DatasetType(List<String> requiredKeys) {
        this.requiredKeys = requiredKeys;
    }

    /** The model's values (Interactions, Items, Users, Actions, Action_Interactions), in any case. */
    public static DatasetType parse(String text) {
        for (DatasetType type : values()) {
            if (type.name().equalsIgnoreCase(text)) {
                return type;
            }
        }
        throw IntakeException.invalid("datasetType '" + text + "' is not one of Interactions, Items, Users, Actions,"
                + " Action_Interactions");
    }

    /** Whether events of this type are keyed by their type too, when the schema has EVENT_TYPE. */
    private boolean isInteractions() {
        return this == INTERACTIONS || this == ACTION_INTERACTIONS;
    }

    /**
     * The key fields of a dataset of this type with these schema fields.
     *
     * @throws IntakeException INVALID_INPUT naming the required fields the schema lacks
     */
    public List<String> keyFields(List<SchemaField> fields) {
        Set<String> names = fields.stream().map(SchemaField::name).collect(Collectors.toSet());
        List<String> missing = requiredKeys.stream().filter(k -> !names.contains(k)).toList();
        if (!missing.isEmpty()) {
            throw IntakeException.invalid("A schema for a " + name().toLowerCase(Locale.ROOT) + " dataset must have the"
                    + " field(s) " + String.join(", ", requiredKeys) + "; it lacks " + String.join(", ", missing));
        }
        List<String> keys = new ArrayList<>(requiredKeys);
        if (isInteractions() && names.contains("EVENT_TYPE")) {
            keys.add("EVENT_TYPE");
        }
        return keys;
    }
}
