package dev.intake.forecast;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.core.IntakeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Forecast dataset as an Intake dataset. Its Schema.Attributes become an Avro record (in the
 * attributes' order) whose fields keep their Forecast type in a {@code forecastType} property, and
 * the record keeps Domain, DatasetType, DataFrequency and EncryptionConfig in a {@code forecast}
 * property (Avro keeps properties it does not know), so the dataset is one item, written at once,
 * and DescribeDataset reads back exactly what was created.
 *
 * <p>Types: string and geolocation ({@code LAT_LONG} or {@code CC_POSTALCODE} text) are Avro
 * {@code string}; integer is {@code long}; float is {@code double}; timestamp is {@code string}
 * (read by each import job's TimestampFormat and TimeZone: see ForecastTimestampRules). Key fields are
 * required; every other field is nullable (Forecast fills missing values).
 *
 * <p>Keys: a time series (TARGET_TIME_SERIES, RELATED_TIME_SERIES) is keyed by the domain's
 * identifier, the timestamp and every other string or geolocation attribute (Forecast's
 * dimensions), in the attributes' order; ITEM_METADATA by the identifier alone.
 */
final class ForecastDatasets {
    /** The identifier field of each domain, as the Forecast developer guide's domain pages name them. */
    static final Map<String, String> IDENTIFIER = Map.of("RETAIL", "item_id", "CUSTOM", "item_id",
            "INVENTORY_PLANNING", "item_id", "EC2_CAPACITY", "instance_type", "WORK_FORCE", "workforce_type",
            "WEB_TRAFFIC", "item_id", "METRICS", "metric_name");
    /** The target field each domain's TARGET_TIME_SERIES must have. */
    static final Map<String, String> TARGET = Map.of("RETAIL", "demand", "CUSTOM", "target_value",
            "INVENTORY_PLANNING", "demand", "EC2_CAPACITY", "number_of_instances", "WORK_FORCE", "workforce_demand",
            "WEB_TRAFFIC", "value", "METRICS", "metric_value");
    static final String TIMESTAMP = "timestamp";

    private ForecastDatasets() {
    }

    record Attribute(String name, String type) {
    }

    /** The Avro schema and key fields of a Forecast dataset; INVALID_INPUT for a schema the domain does not allow. */
    record Mapping(String avroSchema, List<String> keyFields) {
    }

    static Mapping map(String datasetName, String domain, String datasetType, String dataFrequency,
                       List<Attribute> attributes, JsonNode encryptionConfig) {
        Set<String> names = new HashSet<>();
        for (Attribute a : attributes) {
            if (!names.add(a.name())) {
                throw IntakeException.invalid("Schema.Attributes names the attribute " + a.name() + " twice");
            }
        }
        String identifier = IDENTIFIER.get(domain);
        List<String> required = new ArrayList<>(List.of(identifier));
        if (!datasetType.equals("ITEM_METADATA")) {
            required.add(TIMESTAMP);
        }
        if (datasetType.equals("TARGET_TIME_SERIES")) {
            required.add(TARGET.get(domain));
        }
        for (String field : required) {
            if (!names.contains(field)) {
                throw IntakeException.invalid("A " + domain + " " + datasetType + " dataset needs the attributes "
                        + String.join(", ", required) + "; Schema.Attributes has no " + field);
            }
        }
        requireType(attributes, identifier, Set.of("string"), domain);
        if (!datasetType.equals("ITEM_METADATA")) {
            requireType(attributes, TIMESTAMP, Set.of("timestamp"), domain);
        }
        if (datasetType.equals("TARGET_TIME_SERIES")) {
            requireType(attributes, TARGET.get(domain), Set.of("float", "integer"), domain);
        }
        if (datasetType.equals("RELATED_TIME_SERIES") && dataFrequency == null) {
            throw IntakeException.invalid("DataFrequency is required for a RELATED_TIME_SERIES dataset");
        }
        List<String> keys = new ArrayList<>(List.of(identifier));
        if (!datasetType.equals("ITEM_METADATA")) {
            keys.add(TIMESTAMP);
            for (Attribute a : attributes) {
                if (!keys.contains(a.name()) && (a.type().equals("string") || a.type().equals("geolocation"))) {
                    keys.add(a.name());
                }
            }
        }
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("type", "record");
        record.put("name", datasetName);
        ArrayNode fields = record.putArray("fields");
        for (Attribute a : attributes) {
            String avroType = switch (a.type()) {
                case "integer" -> "long";
                case "float" -> "double";
                default -> "string";
            };
            ObjectNode field = fields.addObject().put("name", a.name());
            if (keys.contains(a.name())) {
                field.put("type", avroType);
            } else {
                field.putArray("type").add("null").add(avroType);
                field.putNull("default");
            }
            field.put("forecastType", a.type());
        }
        ObjectNode forecast = record.putObject("forecast");
        forecast.put("domain", domain).put("datasetType", datasetType);
        if (dataFrequency != null) {
            forecast.put("dataFrequency", dataFrequency);
        }
        if (encryptionConfig != null && !encryptionConfig.isNull()) {
            forecast.set("encryptionConfig", encryptionConfig);
        }
        return new Mapping(Json.write(record), keys);
    }

    private static void requireType(List<Attribute> attributes, String name, Set<String> types, String domain) {
        Attribute a = attributes.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        if (!types.contains(a.type())) {
            throw IntakeException.invalid("Attribute " + name + " of a " + domain + " dataset must be of type "
                    + String.join(" or ", types.stream().sorted().toList()) + ", not " + a.type());
        }
    }

    /** What Forecast's responses show of any dataset's schema, whichever API made it. */
    record View(String domain, String datasetType, String dataFrequency, JsonNode encryptionConfig,
                List<Attribute> attributes) {
    }

    /** A dataset's Forecast view: exact for one Forecast made; derived from the Avro types for any other. */
    static View view(String avroSchema) {
        JsonNode schema;
        try {
            schema = Json.parse(avroSchema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored schema is not JSON", e);
        }
        List<Attribute> attributes = new ArrayList<>();
        for (JsonNode field : schema.path("fields")) {
            String type = field.path("forecastType").asText(null);
            if (type == null) {
                JsonNode avro = field.get("type");
                String primitive = avro.isArray() ? nonNull(avro) : avro.isObject() ? avro.path("type").asText() : avro.asText();
                type = switch (primitive) {
                    case "int", "long" -> "integer";
                    case "float", "double" -> "float";
                    default -> "string";
                };
            }
            attributes.add(new Attribute(field.path("name").asText(), type));
        }
        JsonNode forecast = schema.path("forecast");
        return new View(forecast.path("domain").asText(null), forecast.path("datasetType").asText(null),
                forecast.path("dataFrequency").asText(null), forecast.get("encryptionConfig"), attributes);
    }

    private static String nonNull(JsonNode union) {
        for (JsonNode t : union) {
            String name = t.isObject() ? t.path("type").asText() : t.asText();
            if (!name.equals("null")) {
                return name;
            }
        }
        return "null";
    }
}
