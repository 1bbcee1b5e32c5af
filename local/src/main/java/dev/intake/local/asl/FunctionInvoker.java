package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

/** Runs a Lambda function locally; what a Task state with Resource arn:aws:states:::lambda:invoke calls. */
@FunctionalInterface
public interface FunctionInvoker {
    /**
     * @param functionName the evaluated Arguments.FunctionName
     * @param payload the evaluated Arguments.Payload (the function's event)
     * @return the function's output; null means JSON null
     * @throws FunctionError when the function reports an error, as Lambda reports a function error
     */
    JsonNode invoke(String functionName, JsonNode payload) throws FunctionError;
}
