package dev.intake.core.ports;

import dev.intake.core.export.ExportJob;
import dev.intake.core.export.ExportStatus;
import java.util.Optional;

/** Dataset export jobs, by name (names are unique per deployment, and stay taken). */
public interface ExportJobStore {
    /** @throws dev.intake.core.IntakeException ALREADY_EXISTS if an export job has the name */
    void create(ExportJob job);

    Optional<ExportJob> find(String name);

    /**
     * Jobs by name, after {@code startAfter} (exclusive, null for the first page); only the jobs of
     * {@code dataset} unless it is null.
     */
    Page<ExportJob> list(String dataset, String startAfter, int limit);

    /**
     * Replaces the job if its stored status is still {@code expected}: every change of an export job
     * is a change of its status, so two steps racing cannot both apply.
     *
     * @return false (nothing written) if its status was no longer {@code expected}
     */
    boolean replace(ExportJob job, ExportStatus expected);
}
