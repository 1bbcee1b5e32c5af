package dev.intake.core.format;

import java.util.List;

/**
 * The field names of a file's rows, in order, shared by every row that has them (a CSV file's
 * header; a run of JSON lines with the same fields), so a validator can map them onto the schema
 * once per instance instead of once per row.
 */
public final class FieldNames {
    private final String[] names;

    /** @param names distinct names */
    public FieldNames(List<String> names) {
        this.names = names.toArray(String[]::new);
    }

    FieldNames(String[] names, int count) {
        this.names = java.util.Arrays.copyOf(names, count);
    }

    public int size() {
        return names.length;
    }

    public String name(int index) {
        return names[index];
    }

    /** The position of a name, or -1. */
    public int indexOf(Object name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether these are exactly the given names, in order. */
    boolean sameAs(String[] other, int count) {
        if (count != names.length) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (names[i] != other[i] && !names[i].equals(other[i])) {
                return false;
            }
        }
        return true;
    }
}
