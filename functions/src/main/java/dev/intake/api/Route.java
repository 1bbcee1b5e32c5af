package dev.intake.api;

import dev.intake.app.Permission;
import java.util.Set;

/**
 * One API operation: where it is served, which handler class runs it, and what its function may
 * touch ({@link Permission}: the stack grants exactly these).
 */
public record Route(Dialect dialect, String operation, String method, String path, String handlerClass,
                    Set<Permission> permissions) {

    public Route {
        permissions = Permission.setOf(permissions);
    }

    /** A JSON-protocol operation at POST /{service}/{Operation}. */
    static Route json(Dialect dialect, String operation, Class<?> handler, Permission... permissions) {
        return new Route(dialect, operation, "POST", "/" + dialect.pathSegment() + "/" + operation, handler.getName(),
                Set.of(permissions));
    }

    /**
     * A rest-json operation: its HTTP method and path template under /{service} ({@code {name}}
     * segments are path parameters, as in API Gateway). Parameter names are the same at the same
     * place in every route (API Gateway allows one variable per level), so they may differ from the
     * model's; the handler maps them onto the model's members by position.
     */
    static Route rest(Dialect dialect, String operation, String method, String pathTemplate, Class<?> handler,
                      Permission... permissions) {
        return new Route(dialect, operation, method, "/" + dialect.pathSegment() + pathTemplate, handler.getName(),
                Set.of(permissions));
    }

    /**
     * The path parameters of a request path, if the path matches this route's template (each
     * {@code {name}} one non-empty segment, taken as sent: decoding is the caller's).
     */
    public java.util.Optional<java.util.Map<String, String>> match(String requestPath) {
        String[] template = path.substring(1).split("/", -1);
        String[] actual = requestPath.startsWith("/") ? requestPath.substring(1).split("/", -1) : new String[0];
        if (template.length != actual.length) {
            return java.util.Optional.empty();
        }
        java.util.Map<String, String> parameters = new java.util.LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            if (template[i].startsWith("{") && template[i].endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return java.util.Optional.empty();
                }
                parameters.put(template[i].substring(1, template[i].length() - 1), actual[i]);
            } else if (!template[i].equals(actual[i])) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(parameters);
    }

    /** The operation changes no data: its function gets no write permission on the tables' items. */
    public boolean readOnly() {
        return Permission.readOnly(permissions);
    }

    /** The operation starts import executions (its function gets the state machine's ARN). */
    public boolean startsImports() {
        return permissions.contains(Permission.START_IMPORTS);
    }

    /**
     * The operation's function runs the workflow jar, not the API jar: it needs an SDK client that
     * only a few routes need and the API jar leaves out — S3 and STS where it reads or writes objects
     * (DataZone's StartDataSourceRun lists its source's folder), EventBridge Scheduler where it
     * manages data sources' schedules.
     */
    public boolean runsWorkflowJar() {
        return Permission.usesObjectStorage(permissions) || permissions.contains(Permission.MANAGE_SCHEDULES);
    }

    /** The X-Amz-Target header value the AWS SDK sends for this operation. */
    public String target() {
        return dialect.targetPrefix() + "." + operation;
    }

    /** The Lambda handler string. */
    public String lambdaHandler() {
        return handlerClass + "::handleRequest";
    }
}
