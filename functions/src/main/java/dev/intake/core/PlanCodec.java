package dev.intake.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.core.format.DataFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of a chunk (as it travels through the state machine) and of a whole plan (as it is kept
 * in the results bucket while its job runs): one form for both, so a stored plan reads back exactly.
 */
public final class PlanCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PlanCodec() {
    }

    public static ObjectNode chunk(ChunkTask c) {
        ObjectNode node = MAPPER.createObjectNode();
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

    public static ChunkTask chunk(JsonNode node) {
        return new ChunkTask(node.get("index").asInt(), node.get("bucket").asText(), node.get("key").asText(),
                DataFormat.valueOf(node.get("format").asText()), node.get("gzip").asBoolean(), node.get("start").asLong(),
                node.get("end").asLong(), node.get("firstLine").asLong(),
                node.hasNonNull("etag") ? node.get("etag").asText() : null,
                node.hasNonNull("size") ? node.get("size").asLong() : node.get("end").asLong());
    }

    static byte[] write(ImportPlanner.Plan plan) {
        ObjectNode root = MAPPER.createObjectNode();
        ImportStatistics files = plan.files();
        root.putObject("files").put("total", files.filesTotal()).put("ingested", files.filesIngested())
                .put("discarded", files.filesDiscarded()).put("bytes", files.bytes());
        ArrayNode chunks = root.putArray("chunks");
        plan.chunks().forEach(c -> chunks.add(chunk(c)));
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a plan is always writable", e);
        }
    }

    static ImportPlanner.Plan read(byte[] json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        JsonNode files = root.get("files");
        List<ChunkTask> chunks = new ArrayList<>();
        root.get("chunks").forEach(c -> chunks.add(chunk(c)));
        return new ImportPlanner.Plan(chunks, ImportStatistics.EMPTY.withFiles(files.get("total").asLong(),
                files.get("ingested").asLong(), files.get("discarded").asLong(), files.get("bytes").asLong()));
    }
}
