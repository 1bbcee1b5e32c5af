package dev.intake.core.format;

/**
 * A byte range of an uncompressed file that starts and ends at record boundaries.
 *
 * @param start     first byte
 * @param end       exclusive end
 * @param firstLine file line number at {@code start}
 */
public record Chunk(long start, long end, long firstLine) {
    public Chunk {
        if (start < 0 || end < start || firstLine < 1) {
            throw new IllegalArgumentException("invalid chunk " + start + ".." + end + " at line " + firstLine);
        }
    }
}
