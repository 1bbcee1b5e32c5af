package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Dialect;
import dev.intake.api.Json;
import dev.intake.api.RestApiHandler;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DataZoneStore;
import dev.intake.core.ports.DataZoneStore.Kind;
import dev.intake.core.ports.Page;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Base of Amazon DataZone's operations: its store, its documents, its timestamps and pages. */
abstract class DataZoneOperation extends RestApiHandler {
    protected final DataZoneStore store;
    protected final DataZoneRuns runs;

    DataZoneOperation(Services services, String operation) {
        super(services, Dialect.DATAZONE, operation);
        if (services.dataZone == null) {
            throw new IllegalStateException("this storage keeps no DataZone resources");
        }
        this.store = services.dataZone;
        this.runs = new DataZoneRuns(services);
    }

    /** DataZone's DateTime members are ISO 8601 (the model's timestampFormat), to the millisecond. */
    static String iso(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    /** Its domains' CreatedAt/UpdatedAt have the protocol's default form: epoch seconds. */
    static double epochSeconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }

    static ObjectNode document(DataZoneStore.Entry entry) {
        try {
            return (ObjectNode) Json.parse(entry.document());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(DataZoneStore.describe(entry.kind(), entry.name()) + " is not JSON", e);
        }
    }

    /**
     * The members of a document the output shape has (documents also keep Intake's own, "_"-named
     * ones, and members other operations' outputs have).
     */
    ObjectNode project(ObjectNode document, String shapeName) {
        ObjectNode view = Json.MAPPER.createObjectNode();
        JsonNode members = model().shape(shapeName).path("members");
        document.fields().forEachRemaining(e -> {
            if (members.has(e.getKey()) && !e.getValue().isNull()) {
                JsonNode value = e.getValue();
                String member = members.get(e.getKey()).path("shape").asText();
                JsonNode memberShape = model().shape(member);
                if (value.isArray() && memberShape.path("type").asText().equals("list")) {
                    String itemShape = memberShape.path("member").path("shape").asText();
                    if (model().shape(itemShape).path("type").asText().equals("structure")) {
                        var items = Json.MAPPER.createArrayNode();
                        value.forEach(item -> items.add(item.isObject() ? project((ObjectNode) item, itemShape) : item));
                        value = items;
                    }
                }
                view.set(e.getKey(), value);
            }
        });
        return view;
    }

    static String write(JsonNode node) {
        return Json.write(node);
    }

    /** The domain, or ResourceNotFoundException naming it. */
    DataZoneStore.Entry domain(String id) {
        return store.find(Kind.DOMAIN, id).orElseThrow(() -> IntakeException.notFound("Domain '" + id + "' does not exist"));
    }

    /** The data source of the domain, or ResourceNotFoundException naming it. */
    DataZoneStore.Entry dataSource(String domainId, String id) {
        domain(domainId);
        return store.find(Kind.DATA_SOURCE, domainId + "/" + id).orElseThrow(() -> IntakeException.notFound(
                "Data source '" + id + "' does not exist in domain '" + domainId + "'"));
    }

    /** maxResults within the model's range (checked already) or the default. */
    static int maxResults(JsonNode request, int defaultValue) {
        return request.hasNonNull("maxResults") ? request.get("maxResults").asInt() : defaultValue;
    }

    /** A page of a kind's entries under a prefix, its nextToken signed for this listing only. */
    Page<DataZoneStore.Entry> page(JsonNode request, Kind kind, String prefix, int limit) {
        String scope = "datazone:" + operation() + ":" + prefix;
        String after = request.hasNonNull("nextToken") ? services.pageTokens().open(scope, request.get("nextToken").asText())
                : null;
        Page<DataZoneStore.Entry> page = store.list(kind, prefix, after, limit);
        return new Page<>(page.items(), page.lastKey() == null ? null : services.pageTokens().issue(scope, page.lastKey()));
    }
}
