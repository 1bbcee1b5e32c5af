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

    /** The operation changes no data: its function gets no write permission on the tables' items. */
    public boolean readOnly() {
        return Permission.readOnly(permissions);
    }

    /** The operation starts import executions (its function gets the state machine's ARN). */
    public boolean startsImports() {
        return permissions.contains(Permission.START_IMPORTS);
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
