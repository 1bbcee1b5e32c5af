package dev.intake.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.core.TransientImportException;
import java.util.Set;

/**
 * How a state machine's catch-all turns the error it caught into a job's failure reason. Only the
 * engine's own errors have messages meant for users; anything else is named in the log, not quoted.
 *
 * @param step          what the steps are of ("import", "export"), as the reasons say it
 * @param finalErrors   the engine errors whose message is the reason as it is (Step Functions
 *                      matches error names exactly, so each is named)
 * @param internalError the reason for anything else
 */
record FailureReasons(String step, Set<String> finalErrors, String internalError) {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FailureReasons.class);

    String reason(String error, String cause) {
        String message = lambdaErrorMessage(cause);
        if (finalErrors.contains(error) && message != null) {
            return message;
        }
        if (error.equals(TransientImportException.class.getName()) && message != null) {
            return "The " + step + " kept failing after retries: " + message;
        }
        if (error.equals("States.Timeout")) {
            return "An " + step + " step timed out"; // both words start with a vowel
        }
        if (error.equals("States.ExceedToleratedFailureThreshold")) {
            // A Distributed Map's child records its chunk's own reason on the job before it fails, and
            // that reason stays; this one is for a child that could not (it was aborted or timed out).
            LOG.error("{} Map Run failed: {}", step, cause);
            return "A chunk of the " + step + " failed without recording why (its child execution ended early);"
                    + " the " + step + " can be started again";
        }
        if (error.equals("States.ItemReaderFailed")) {
            LOG.error("{} chunk manifest unreadable: {}", step, cause);
            return "The " + step + "'s chunk manifest could not be read; the " + step + " can be started again";
        }
        LOG.error("{} step failed with {}: {}", step, error, message == null ? cause : message);
        return internalError;
    }

    /** The errorMessage of a Lambda error Cause, if the cause is one. */
    private static String lambdaErrorMessage(String cause) {
        try {
            JsonNode node = Json.parse(cause);
            return node.hasNonNull("errorMessage") ? node.get("errorMessage").asText() : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}
