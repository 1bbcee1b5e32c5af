package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A snapshot of an execution.
 *
 * @param output the execution output when SUCCEEDED, else null
 * @param error the error name when FAILED (or as given to stop), else null
 * @param cause the error cause when FAILED (or as given to stop), else null
 * @param history names of the states entered, in order (states of concurrent branches interleave)
 */
public record ExecutionResult(String name, ExecutionStatus status, JsonNode output, String error, String cause,
                              List<String> history) {
}
