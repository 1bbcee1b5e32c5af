package dev.intake.core;

import java.util.List;

/**
 * What ingesting one chunk did; written once per chunk (a retried chunk finds it and does nothing)
 * and summed when the job finishes.
 *
 * @param errors the chunk's first invalid rows (capped at {@link #MAX_ERRORS})
 */
public record ChunkResult(int index, RecordCounts counts, List<RowError> errors) {
    public static final int MAX_ERRORS = 25;

    public ChunkResult {
        errors = List.copyOf(errors);
    }
}
