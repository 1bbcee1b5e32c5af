package dev.intake.local.asl;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The states the local executor runs, as parsed and validated from a JSONata-mode definition.
 * {@code next} is null for a state with "End": true. Optional templates are null when absent.
 */
sealed interface State {
    String name();

    record Task(String name, String next, Template arguments, Template timeoutSeconds, Template output,
                Template assign, List<Retrier> retriers, List<Catcher> catchers) implements State {
    }

    record Pass(String name, String next, Template output, Template assign) implements State {
    }

    record Choice(String name, List<ChoiceRule> rules, String defaultNext, Template output, Template assign)
            implements State {
    }

    /** {@code condition} must evaluate to a boolean; a matched rule's Output replaces the state's. */
    record ChoiceRule(Template condition, String next, Template output, Template assign) {
    }

    /** Exactly one of {@code seconds} and {@code timestamp} is set. */
    record Wait(String name, String next, Template seconds, Template timestamp, Template output, Template assign)
            implements State {
        /** @return the instant, or null unless the text is an RFC 3339 timestamp (uppercase T, Z or offset) */
        static Instant parseTimestamp(String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    record Succeed(String name, Template output) implements State {
    }

    record Fail(String name, Template error, Template cause) implements State {
    }

    /**
     * A Map state; {@code items} null means the state input is the array (or the ItemReader's items).
     * {@code distributed} is null for an inline Map.
     */
    record MapState(String name, String next, Template items, Template itemSelector, Template maxConcurrency,
                    StateGraph itemProcessor, Template output, Template assign, List<Retrier> retriers,
                    List<Catcher> catchers, Distributed distributed) implements State {
    }

    /**
     * What a Distributed Map adds: each iteration is a child execution (STANDARD) with its own
     * variables and history; failures up to the tolerated threshold do not fail the Map Run.
     *
     * @param itemReader                 null: the items come from Items or the state input
     * @param toleratedFailurePercentage null: 0
     * @param toleratedFailureCount      null: 0
     * @param label                      null: none (the Map Run is named by the state)
     */
    record Distributed(ItemReader itemReader, Template toleratedFailurePercentage, Template toleratedFailureCount,
                       String label) {
    }

    /** arn:aws:states:::s3:getObject of a JSON Lines object: one item per line. */
    record ItemReader(Template arguments) {
    }

    record Parallel(String name, String next, Template arguments, List<StateGraph> branches, Template output,
                    Template assign, List<Retrier> retriers, List<Catcher> catchers) implements State {
    }
}
