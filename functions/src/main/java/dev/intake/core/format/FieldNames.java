package dev.intake.core.format;

import java.util.List;

/**
 * The field names of a file's rows, in order, shared by every row that has them (a CSV file's
 * header; a run of JSON lines with the same fields), so a validator can map them onto the schema
 * once per instance instead of once per row.
 */
public final class FieldNames {
    private final String[] names;
    /** The names in UTF-8, so a JSON line's names can be matched on its bytes without decoding them. */
    private final byte[][] utf8;

    /** @param names distinct names */
    public FieldNames(List<String> names) {
        this(names.toArray(String[]::new), names.size());
    }

    FieldNames(String[] names, int count) {
        this.names = java.util.Arrays.copyOf(names, count);
        this.utf8 = new byte[count][];
        for (int i = 0; i < count; i++) {
            utf8[i] = this.names[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
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

    /** Whether the name at a position is the UTF-8 text in {@code bytes[from, to)}. */
    boolean nameIs(int index, byte[] bytes, int from, int to) {
        byte[] name = utf8[index];
        return name.length == to - from && java.util.Arrays.equals(name, 0, name.length, bytes, from, to);
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
