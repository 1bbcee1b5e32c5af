package dev.intake.local.asl;

import java.util.List;

/** One element of a state's Catch field; Output and Assign see the error as $states.errorOutput. */
record Catcher(List<String> errorEquals, String next, Template output, Template assign) {
    boolean matches(String error) {
        return ErrorNames.matches(errorEquals, error);
    }
}
