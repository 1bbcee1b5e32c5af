package dev.intake.core;

import dev.intake.core.stats.FieldSummaries;
import java.util.List;

/**
 * What ingesting one chunk did; written once per chunk and pass (a retried chunk finds it and does
 * nothing) and summed when the job finishes.
 *
 * @param pass      1 for the import's pass over all chunks; 2 when the chunk was counted again
 *                  because a key it left unwritten (unchanged) also occurs elsewhere in the import
 *                  (see {@link ImportWorkflow#reconcile})
 * @param errors    the chunk's first invalid rows (capped at {@link #MAX_ERRORS})
 * @param keyHashes where the chunk's sorted key hashes are kept (an object in the results bucket),
 *                  or null when the chunk left no row unwritten that another row could contest
 * @param unwritten how many of its rows the chunk counted as unchanged without writing them
 * @param fieldStatistics the statistics of each field over the chunk's valid rows (NONE in results
 *                  stored before the engine kept them)
 * @param bytes     the bytes of the chunk's range (its part of the job's planned bytes: the job's progress)
 * @param lineBreaks the line breaks in the chunk's records: the chunks after it in its file start that
 *                  many lines later (its errors' lines are numbered from {@link ChunkTask#firstLine})
 */
public record ChunkResult(int index, int pass, RecordCounts counts, List<RowError> errors, String keyHashes,
                          long unwritten, FieldSummaries fieldStatistics, long bytes, long lineBreaks) {
    public static final int MAX_ERRORS = 25;

    public ChunkResult {
        if (pass != 1 && pass != 2) {
            throw new IllegalArgumentException("pass is 1 or 2, not " + pass);
        }
        errors = List.copyOf(errors);
        fieldStatistics = fieldStatistics == null ? FieldSummaries.NONE : fieldStatistics;
    }

    /** A result that does not say how many lines its chunk holds (one whose errors need no renumbering). */
    public ChunkResult(int index, int pass, RecordCounts counts, List<RowError> errors, String keyHashes,
                       long unwritten, FieldSummaries fieldStatistics, long bytes) {
        this(index, pass, counts, errors, keyHashes, unwritten, fieldStatistics, bytes, 0);
    }

    /** A result without field statistics or size. */
    public ChunkResult(int index, int pass, RecordCounts counts, List<RowError> errors, String keyHashes, long unwritten) {
        this(index, pass, counts, errors, keyHashes, unwritten, FieldSummaries.NONE, 0);
    }

    /** A first-pass result with no unwritten rows. */
    public ChunkResult(int index, RecordCounts counts, List<RowError> errors) {
        this(index, 1, counts, errors, null, 0);
    }
}
