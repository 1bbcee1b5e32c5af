package dev.intake.lookout;

import dev.intake.core.IntakeException;
import java.util.List;
import java.util.Optional;

/**
 * Lookout's KeyPattern: which files of the S3 input belong to which component. Exactly the documented
 * values: {@code {prefix}/{component_name}/*} (the default), {@code {prefix}/{component_name}_*} and
 * {@code {prefix}/{component_name}[DELIMITER]*} with the delimiters space, dot, underscore and hyphen.
 * {@code {prefix}/} is the input's Prefix (which ends with '/', or is empty for the bucket's top).
 */
record KeyPattern(String pattern, char delimiter) {
    static final String DEFAULT = "{prefix}/{component_name}/*";
    private static final String HEAD = "{prefix}/{component_name}";
    private static final String DELIMITERS = "/ ._-";

    static KeyPattern parse(String pattern) {
        String p = pattern == null ? DEFAULT : pattern;
        if (p.length() == HEAD.length() + 2 && p.startsWith(HEAD) && p.endsWith("*")
                && DELIMITERS.indexOf(p.charAt(HEAD.length())) >= 0) {
            return new KeyPattern(p, p.charAt(HEAD.length()));
        }
        throw IntakeException.invalid("KeyPattern '" + abbreviate(p) + "' is not one of {prefix}/{component_name}/*,"
                + " {prefix}/{component_name}_*, {prefix}/{component_name} *, {prefix}/{component_name}.* and"
                + " {prefix}/{component_name}-*");
    }

    /**
     * The component a key belongs to: the longest component name that, with the delimiter, starts the
     * key after the prefix, with something after it (so {@code Pump_2_a.csv} is Pump_2's, not Pump's).
     */
    Optional<String> component(String prefix, String key, List<String> components) {
        String p = prefix == null ? "" : prefix;
        if (!key.startsWith(p)) {
            return Optional.empty();
        }
        String rest = key.substring(p.length());
        String best = null;
        for (String c : components) {
            if (rest.length() > c.length() + 1 && rest.startsWith(c) && rest.charAt(c.length()) == delimiter
                    && (best == null || c.length() > best.length())) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
