package dev.intake.api;

import java.util.Map;

/** Test access to RestApiHandler's package-private parameter alignment. */
public final class RestApiHandlerAccess {
    private RestApiHandlerAccess() {
    }

    public static Map<String, String> align(String route, String model) {
        return RestApiHandler.alignParameters(route, model);
    }
}
