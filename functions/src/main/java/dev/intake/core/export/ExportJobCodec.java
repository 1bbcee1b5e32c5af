package dev.intake.core.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** An export job as one JSON document, as both stores keep it. */
public final class ExportJobCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ExportJobCodec() {
    }

    public static String encode(ExportJob job) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", job.name());
        node.put("dataset", job.dataset());
        node.put("ingestionMode", job.ingestionMode().name());
        node.put("roleArn", job.roleArn());
        node.put("path", job.path());
        node.put("kmsKeyArn", job.kmsKeyArn());
        ObjectNode tags = node.putObject("tags");
        job.tags().forEach(tags::put);
        node.put("status", job.status().name());
        node.put("failureReason", job.failureReason());
        node.put("createdAt", job.createdAt().toEpochMilli());
        node.put("updatedAt", job.updatedAt().toEpochMilli());
        node.put("generation", job.generation());
        return node.toString();
    }

    public static ExportJob decode(String document) {
        try {
            JsonNode node = MAPPER.readTree(document);
            Map<String, String> tags = new LinkedHashMap<>();
            node.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
            return new ExportJob(node.get("name").asText(), node.get("dataset").asText(),
                    ExportJob.IngestionMode.valueOf(node.get("ingestionMode").asText()), text(node, "roleArn"),
                    node.get("path").asText(), text(node, "kmsKeyArn"), tags,
                    ExportStatus.valueOf(node.get("status").asText()), text(node, "failureReason"),
                    Instant.ofEpochMilli(node.get("createdAt").asLong()), Instant.ofEpochMilli(node.get("updatedAt").asLong()),
                    text(node, "generation"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored export job is not JSON", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
