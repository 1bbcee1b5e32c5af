package dev.intake.local.asl;

import com.dashjoin.jsonata.Jsonata;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One JSONata expression (the text between "{%" and "%}"), checked for syntax when the definition is parsed. */
final class JsonataExpression {
    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$([\\p{L}_][\\p{L}\\p{N}_]*)");

    private final String source;
    private final Set<String> referencedNames;

    private JsonataExpression(String source, Set<String> referencedNames) {
        this.source = source;
        this.referencedNames = referencedNames;
    }

    /** @throws RuntimeException (the engine's JException) when the expression does not parse */
    static JsonataExpression compile(String source) {
        Jsonata.jsonata(source);
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = VARIABLE_REFERENCE.matcher(source);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return new JsonataExpression(source, Set.copyOf(names));
    }

    String source() {
        return source;
    }

    /** Names written as $name in the expression, so only those variables need converting and binding. */
    Set<String> referencedNames() {
        return referencedNames;
    }

    /**
     * Evaluates with no context item (as Step Functions does: input is only reachable as $states.input).
     *
     * @param bindings variable name (without $) to engine value
     * @return the engine's value; null when the expression evaluated to nothing (undefined)
     * @throws RuntimeException when evaluation fails
     */
    Object evaluate(Map<String, Object> bindings) {
        // A Jsonata instance keeps per-evaluation state, so each evaluation gets its own instance
        // (iterations of a Map state evaluate the same expression concurrently).
        Jsonata expression = Jsonata.jsonata(source);
        expression.setOutputConvertNulls(false); // keeps JSON null apart from undefined
        Jsonata.Frame frame = expression.createFrame();
        AwsJsonataFunctions.bindTo(frame);
        bindings.forEach((String name, Object value) -> frame.bind(name, value));
        return expression.evaluate(null, frame);
    }
}
