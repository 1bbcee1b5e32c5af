package dev.intake.core.ports;

import dev.intake.core.Dataset;
import dev.intake.core.FileRule;
import dev.intake.core.ImportJob;
import java.util.List;
import java.util.Optional;

/**
 * The file rule of an import job, when its dialect gave it one (Lookout for Equipment's KeyPattern
 * and components, kept with the job's settings); the planner and the chunk workers ask for it.
 */
public interface FileRules {
    /** No job has a rule: every file of a known format is read as it is. */
    FileRules NONE = new FileRules() {
        @Override
        public Optional<FileRule> forJob(ImportJob job, Dataset dataset) {
            return Optional.empty();
        }

        @Override
        public void planned(ImportJob job, List<String> discarded) {
        }
    };

    Optional<FileRule> forJob(ImportJob job, Dataset dataset);

    /**
     * Told the files a job's plan discarded (their s3:// URIs, in key order) before the plan is
     * recorded; may be told again by a retried Plan step, so it must be idempotent.
     */
    void planned(ImportJob job, List<String> discarded);
}
