package dev.intake.api;

/**
 * One API operation: where it is served and which handler class runs it.
 *
 * @param readOnly the operation only reads; its function gets no write permission
 */
public record Route(Dialect dialect, String operation, String method, String path, String handlerClass,
                    boolean readOnly) {

    /** A JSON-protocol operation at POST /{service}/{Operation}. */
    static Route json(Dialect dialect, String operation, Class<?> handler, boolean readOnly) {
        return new Route(dialect, operation, "POST", "/" + dialect.pathSegment() + "/" + operation, handler.getName(),
                readOnly);
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
