package dev.intake.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.core.ChunkTask;
import dev.intake.core.format.DataFormat;

/** A chunk as it travels through the state machine's Map state. */
final class ChunkJson {
    private ChunkJson() {
    }

    static ObjectNode write(ChunkTask c) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("index", c.index());
        node.put("bucket", c.bucket());
        node.put("key", c.key());
        node.put("format", c.format().name());
        node.put("gzip", c.gzip());
        node.put("start", c.start());
        node.put("end", c.end());
        node.put("firstLine", c.firstLine());
        if (c.etag() != null) {
            node.put("etag", c.etag());
        }
        node.put("size", c.objectSize());
        return node;
    }

    static ChunkTask read(JsonNode node) {
        return new ChunkTask(node.get("index").asInt(), node.get("bucket").asText(), node.get("key").asText(),
                DataFormat.valueOf(node.get("format").asText()), node.get("gzip").asBoolean(), node.get("start").asLong(),
                node.get("end").asLong(), node.get("firstLine").asLong(),
                node.hasNonNull("etag") ? node.get("etag").asText() : null,
                node.hasNonNull("size") ? node.get("size").asLong() : node.get("end").asLong());
    }
}
