package dev.intake.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.app.Services;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A rest-json operation (DataZone): its input is the body plus the path parameters and query string
 * API Gateway's proxy event carries, put together into the one object the model's input shape
 * describes (each member where the model's {@code location} says), then checked and handled as the
 * JSON protocols' are. A success answers with the model's {@code responseCode} (201 on creates).
 */
public abstract class RestApiHandler extends JsonApiHandler {
    /** The route's path-parameter names, by the model's member location names. */
    private final Map<String, String> routeParameterByModelName;
    private final int successStatus;

    protected RestApiHandler(Services services, Dialect dialect, String operation) {
        super(services, dialect, operation);
        Route route = Routes.ALL.stream().filter(r -> r.dialect() == dialect && r.operation().equals(operation))
                .findFirst().orElseThrow(() -> new IllegalStateException("no route for " + dialect + " " + operation));
        JsonNode http = model().http(operation);
        this.routeParameterByModelName = alignParameters(route.path().substring(dialect.pathSegment().length() + 1),
                http.path("requestUri").asText());
        this.successStatus = http.path("responseCode").asInt(200);
    }

    /** Pairs the template's {@code {name}} segments with the model's, place by place. */
    static Map<String, String> alignParameters(String routeTemplate, String modelUri) {
        String[] route = routeTemplate.split("/");
        String[] model = modelUri.split("\\?")[0].split("/");
        if (route.length != model.length) {
            throw new IllegalStateException("route " + routeTemplate + " does not have the shape of " + modelUri);
        }
        Map<String, String> aligned = new HashMap<>();
        for (int i = 0; i < route.length; i++) {
            boolean routeVariable = route[i].startsWith("{");
            if (routeVariable != model[i].startsWith("{") || (!routeVariable && !route[i].equals(model[i]))) {
                throw new IllegalStateException("route " + routeTemplate + " does not have the shape of " + modelUri);
            }
            if (routeVariable) {
                aligned.put(model[i].substring(1, model[i].length() - 1), route[i].substring(1, route[i].length() - 1));
            }
        }
        return aligned;
    }

    @Override
    protected int successStatus() {
        return successStatus;
    }

    @Override
    protected JsonNode requestOf(APIGatewayProxyRequestEvent event) {
        JsonNode body = parse(event.getBody());
        if (!body.isObject()) {
            throw new IntakeException(ErrorKind.SERIALIZATION, "The request body must be a JSON object");
        }
        ObjectNode request = (ObjectNode) body;
        Map<String, String> path = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        JsonNode members = model().inputShape(operation()).path("members");
        for (Iterator<Map.Entry<String, JsonNode>> it = members.fields(); it.hasNext(); ) {
            var member = it.next();
            String location = member.getValue().path("location").asText();
            String locationName = member.getValue().path("locationName").asText(member.getKey());
            if (location.equals("uri")) {
                request.remove(member.getKey()); // where the model puts it, not what a body says
                String value = path.get(routeParameterByModelName.getOrDefault(locationName, locationName));
                if (value != null) {
                    request.put(member.getKey(), value);
                }
            } else if (location.equals("querystring")) {
                request.remove(member.getKey());
                String value = query.get(locationName);
                if (value != null) {
                    request.set(member.getKey(), typed(member.getKey(), member.getValue().path("shape").asText(), value));
                }
            }
        }
        return request;
    }

    /** A query-string value as the member's type. */
    private JsonNode typed(String member, String shapeName, String value) {
        String type = model().shape(shapeName).path("type").asText();
        var nodes = Json.MAPPER.getNodeFactory();
        switch (type) {
            case "integer", "long" -> {
                try {
                    return nodes.numberNode(Long.parseLong(value));
                } catch (NumberFormatException e) {
                    throw IntakeException.invalid("Value '" + abbreviate(value) + "' at '" + member
                            + "' failed to satisfy constraint: Member must be an integer");
                }
            }
            case "boolean" -> {
                if (!value.equals("true") && !value.equals("false")) {
                    throw IntakeException.invalid("Value '" + abbreviate(value) + "' at '" + member
                            + "' failed to satisfy constraint: Member must be true or false");
                }
                return nodes.booleanNode(Boolean.parseBoolean(value));
            }
            default -> {
                return nodes.textNode(value);
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }
}
