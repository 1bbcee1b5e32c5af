package dev.intake.local.asl;

import java.util.List;
import java.util.Set;

/** The predefined error names of the Amazon States Language, and how ErrorEquals matches them. */
final class ErrorNames {
    static final String ALL = "States.ALL";
    static final String TASK_FAILED = "States.TaskFailed";
    static final String TIMEOUT = "States.Timeout";
    static final String RUNTIME = "States.Runtime";
    static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";
    static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    static final String EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold";
    static final String ITEM_READER_FAILED = "States.ItemReaderFailed";
    static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";

    /** Names with the reserved "States." prefix that a definition may refer to in ErrorEquals. */
    static final Set<String> PREDEFINED = Set.of(ALL, TASK_FAILED, TIMEOUT, RUNTIME, QUERY_EVALUATION_ERROR,
            NO_CHOICE_MATCHED, "States.HeartbeatTimeout", "States.DataLimitExceeded", "States.Permissions",
            "States.BranchFailed", "States.ExceedToleratedFailureThreshold", "States.ItemReaderFailed",
            "States.ResultWriterFailed", "States.IntrinsicFailure", "States.ParameterPathFailure",
            "States.ResultPathMatchFailure", "States.Http.Socket");

    private ErrorNames() {
    }

    /**
     * Whether a retrier's or catcher's ErrorEquals matches {@code error}. States.ALL matches any error;
     * States.TaskFailed matches any error except States.Timeout. Callers never pass a terminal error
     * (States.Runtime, States.DataLimitExceeded).
     */
    static boolean matches(List<String> errorEquals, String error) {
        for (String name : errorEquals) {
            if (name.equals(error) || name.equals(ALL) || (name.equals(TASK_FAILED) && !TIMEOUT.equals(error))) {
                return true;
            }
        }
        return false;
    }
}
