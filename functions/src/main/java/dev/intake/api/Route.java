package dev.intake.api;

/**
 * One API operation: where it is served, which handler class runs it, and what its function may do.
 */
public record Route(Dialect dialect, String operation, String method, String path, String handlerClass,
                    Access access) {

    /** What an operation's function needs beyond running: the stack grants exactly this. */
    public enum Access {
        /** Reads the tables; no write permission. */
        READ,
        /** Reads, and issues NextTokens: may create the token signing key once (SigningKeys). */
        READ_PAGES,
        /** Reads and writes the tables. */
        WRITE,
        /** Writes, and starts import executions (gets the state machine's ARN). */
        START_IMPORTS
    }

    /** A JSON-protocol operation at POST /{service}/{Operation}. */
    static Route json(Dialect dialect, String operation, Class<?> handler, Access access) {
        return new Route(dialect, operation, "POST", "/" + dialect.pathSegment() + "/" + operation, handler.getName(),
                access);
    }

    /** The operation only reads; its function gets no write permission on the tables. */
    public boolean readOnly() {
        return access == Access.READ || access == Access.READ_PAGES;
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
