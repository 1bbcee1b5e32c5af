package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.IntakeException;
import dev.intake.core.JobStatus;
import dev.intake.core.ports.ForecastStore.Kind;
import java.time.Instant;
import java.util.Set;

/** Forecast DeleteDatasetImportJob: only an ACTIVE or CREATE_FAILED job; ResourceInUseException otherwise.
 * The job leaves Forecast's view (Describe, List); the engine keeps its record, so its name stays taken:
 * imported records name the job that wrote them, and a new job of the same name would be taken for it. */
public final class DeleteDatasetImportJobHandler extends ForecastOperation {
    public DeleteDatasetImportJobHandler() {
        this(Services.fromEnvironment());
    }

    public DeleteDatasetImportJobHandler(Services services) {
        super(services, "DeleteDatasetImportJob");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        var found = ImportSettings.find(services, store(), arns.importJob(text(request, "DatasetImportJobArn")));
        JobStatus status = found.job().status();
        if (status != JobStatus.ACTIVE && status != JobStatus.FAILED) {
            throw new IntakeException(ErrorKind.IN_USE, "Dataset import job '" + found.job().name() + "' is "
                    + dialect.jobStatus(status) + "; only an ACTIVE or CREATE_FAILED job can be deleted");
        }
        String document = found.settings().asDeleted().document();
        if (found.entry().isPresent()) {
            store().update(Kind.IMPORT_JOB, found.job().name(), document, found.entry().get().version(), Instant.now());
        } else {
            store().create(Kind.IMPORT_JOB, found.job().name(), document, Instant.now()); // a job another API started
        }
        return null;
    }
}
