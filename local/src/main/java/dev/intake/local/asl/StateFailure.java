package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A state failed with an error name and cause; Retry and Catch match on the error name. */
final class StateFailure extends Exception {
    private final String error;
    private final String cause;

    StateFailure(String error, String cause) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.cause = cause;
    }

    /** A JSONata field of state {@code stateName} could not be evaluated. */
    static StateFailure queryEvaluation(String stateName, String detail) {
        return new StateFailure(ErrorNames.QUERY_EVALUATION_ERROR,
                "An error occurred while executing the state '" + stateName + "'. " + detail);
    }

    String error() {
        return error;
    }

    String cause() {
        return cause;
    }

    /**
     * States.Runtime and States.DataLimitExceeded end the execution: they are never retried or caught,
     * not even by States.ALL.
     */
    boolean isTerminal() {
        return ErrorNames.RUNTIME.equals(error) || ErrorNames.DATA_LIMIT_EXCEEDED.equals(error);
    }

    /** The Error Output a Catch sees as $states.errorOutput. */
    JsonNode errorOutput() {
        ObjectNode output = JsonValues.NODES.objectNode();
        output.put("Error", error == null ? "" : error);
        output.put("Cause", cause == null ? "" : cause);
        return output;
    }
}
