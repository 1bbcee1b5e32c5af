package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import java.util.Set;

/** Forecast StopResource, for import jobs (the only resource here): the engine's stop. A pending job
 * ends CREATE_STOPPED at once, a running one goes CREATE_STOPPING, then CREATE_STOPPED; InvalidInputException
 * for a job that has ended. Other Forecast resources (predictors, forecasts, ...) do not exist here. */
public final class StopResourceHandler extends ForecastOperation {
    public StopResourceHandler() {
        this(Services.fromEnvironment());
    }

    public StopResourceHandler(Services services) {
        super(services, "StopResource");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String arn = text(request, "ResourceArn");
        if (!arn.contains(":dataset-import-job/")) {
            throw IntakeException.notFound("Resource " + arn + " does not exist; only dataset import jobs can be stopped here");
        }
        var found = ImportSettings.find(services, store(), arns.importJob(arn));
        services.workflow.stop(found.job().name());
        return null;
    }
}
