package dev.intake.lookout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.core.IntakeException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Lookout for Equipment InlineDataSchema ({@code {"Components": [{"ComponentName": "Pump", "Columns":
 * [{"Name": "Timestamp", "Type": "DATETIME"}, {"Name": "Flow", "Type": "DOUBLE"}]}]}}) and the Intake
 * dataset it maps onto: one record per component and timestamp (key {@value #COMPONENT_FIELD}, then
 * the timestamp column), every sensor column of every component a nullable double.
 */
final class LookoutSchema {
    /** The key field a row's component goes into; files name it by their key, not in a column. */
    static final String COMPONENT_FIELD = "ComponentName";
    /** Sensor and timestamp columns become Avro fields, so they need Avro's names. */
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,199}");
    /** A component's name is a key value and part of S3 keys (KeyPattern): no '/', nothing invisible. */
    private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    /** Lookout's documented limit of sensors per dataset. */
    static final int MAX_SENSORS = 3000;

    /** One component: its timestamp column and its sensor columns, as the schema lists them. */
    record Component(String name, String timestampColumn, List<String> sensors) {
        Set<String> columns() {
            Set<String> columns = new LinkedHashSet<>();
            columns.add(timestampColumn);
            columns.addAll(sensors);
            return columns;
        }
    }

    /** The mapped dataset: its Avro schema, key fields and components. */
    record Mapping(String avroSchema, List<String> keyFields, String timestampColumn, List<Component> components) {
    }

    private LookoutSchema() {
    }

    static Mapping map(String inlineSchema) {
        JsonNode root;
        try {
            root = Json.parse(inlineSchema);
        } catch (JsonProcessingException e) {
            throw IntakeException.invalid("DatasetSchema.InlineDataSchema is not JSON");
        }
        JsonNode list = root.path("Components");
        if (!list.isArray() || list.isEmpty()) {
            throw IntakeException.invalid("DatasetSchema.InlineDataSchema needs a non-empty Components list");
        }
        List<Component> components = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> sensors = new LinkedHashSet<>();
        String timestamp = null;
        for (JsonNode c : list) {
            String name = c.path("ComponentName").asText("");
            if (!COMPONENT.matcher(name).matches()) {
                throw IntakeException.invalid("ComponentName '" + abbreviate(name) + "' must be 1 to 200 letters, digits, "
                        + "'.', '_' or '-'");
            }
            if (!names.add(name)) {
                throw IntakeException.invalid("Component '" + name + "' is listed twice");
            }
            String componentTimestamp = null;
            List<String> columns = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (JsonNode column : c.path("Columns")) {
                String columnName = column.path("Name").asText("");
                String type = column.path("Type").asText("");
                if (!COLUMN.matcher(columnName).matches()) {
                    throw IntakeException.invalid("Column '" + abbreviate(columnName) + "' of component '" + name
                            + "' must start with a letter or '_' and hold only letters, digits and '_' (at most 200)");
                }
                if (columnName.equals(COMPONENT_FIELD)) {
                    throw IntakeException.invalid("Column name " + COMPONENT_FIELD + " (component '" + name
                            + "') is reserved here: it holds the component of each row");
                }
                if (!seen.add(columnName)) {
                    throw IntakeException.invalid("Column '" + columnName + "' appears twice in component '" + name + "'");
                }
                switch (type) {
                    case "DATETIME" -> {
                        if (componentTimestamp != null) {
                            throw IntakeException.invalid("Component '" + name + "' has more than one DATETIME column");
                        }
                        componentTimestamp = columnName;
                    }
                    case "DOUBLE" -> columns.add(columnName);
                    default -> throw IntakeException.invalid("Column '" + columnName + "' of component '" + name
                            + "' has Type '" + abbreviate(type) + "'; supported are DATETIME (the timestamp) and DOUBLE (sensors)");
                }
            }
            if (componentTimestamp == null) {
                throw IntakeException.invalid("Component '" + name + "' has no DATETIME (timestamp) column");
            }
            if (columns.isEmpty()) {
                throw IntakeException.invalid("Component '" + name + "' has no DOUBLE (sensor) column");
            }
            if (timestamp == null) {
                timestamp = componentTimestamp;
            } else if (!timestamp.equals(componentTimestamp)) {
                throw IntakeException.invalid("Every component's DATETIME column must have the same name (the record key"
                        + " holds one timestamp): '" + timestamp + "' and '" + componentTimestamp + "'");
            }
            components.add(new Component(name, componentTimestamp, List.copyOf(columns)));
            sensors.addAll(columns);
        }
        sensors.remove(timestamp);
        for (Component c : components) {
            if (c.sensors().contains(timestamp)) {
                throw IntakeException.invalid("Column '" + timestamp + "' is a DATETIME column and, in component '"
                        + c.name() + "', a DOUBLE one");
            }
        }
        if (sensors.size() > MAX_SENSORS) {
            throw IntakeException.invalid("The schema has " + sensors.size() + " sensor columns; a dataset can have at most "
                    + MAX_SENSORS);
        }
        return new Mapping(avro(timestamp, sensors), List.of(COMPONENT_FIELD, timestamp), timestamp, List.copyOf(components));
    }

    private static String avro(String timestamp, Set<String> sensors) {
        ObjectNode record = Json.MAPPER.createObjectNode().put("type", "record").put("name", "LookoutEquipmentDataset");
        ArrayNode fields = record.putArray("fields");
        fields.addObject().put("name", COMPONENT_FIELD).put("type", "string");
        fields.addObject().put("name", timestamp).put("type", "string");
        for (String sensor : sensors) {
            ObjectNode field = fields.addObject().put("name", sensor);
            field.putArray("type").add("null").add("double");
            field.putNull("default");
        }
        return Json.write(record);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
