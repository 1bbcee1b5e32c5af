package dev.intake.lookout;

import dev.intake.core.Dataset;
import dev.intake.core.ImportJob;
import dev.intake.core.ports.LookoutStore;
import dev.intake.core.ports.TimestampRules;
import dev.intake.core.schema.TimestampRule;
import java.util.Optional;
import java.util.Set;

/**
 * How an ingestion job reads its timestamp column: a date, a space or 'T', and a time to the second,
 * optionally with a fraction of 3, 6 or 9 digits and an offset ({@code Z}, {@code +01:00}); strictly
 * (real dates and times only). A value is stored as written. Jobs that are no ingestion jobs have none.
 */
public final class LookoutTimestampRules implements TimestampRules {
    /** The formats read, in java.time's letters, tried in order. */
    static final String FORMATS = "yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS][XXX]"
            + "|yyyy-MM-dd'T'HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS][XXX]";

    private final LookoutStore store;

    public LookoutTimestampRules(LookoutStore store) {
        this.store = store;
    }

    @Override
    public Optional<TimestampRule> forJob(ImportJob job, Dataset dataset) {
        return LookoutFileRules.ingestion(store, job)
                .map(found -> new TimestampRule(Set.of(found.mapping().timestampColumn()), FORMATS, null));
    }
}
