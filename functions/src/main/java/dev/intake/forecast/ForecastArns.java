package dev.intake.forecast;

import dev.intake.api.Arns;
import dev.intake.api.Dialect;
import dev.intake.app.Deployment;
import dev.intake.core.IntakeException;

/**
 * Forecast's ARNs: {@code dataset-group/<name>}, {@code dataset/<name>} and
 * {@code dataset-import-job/<dataset>/<job>} (an import job's ARN names its dataset, as Forecast's do).
 */
final class ForecastArns {
    static final String DATASET_GROUP = "dataset-group";

    private final Arns arns;
    private final Deployment deployment;

    ForecastArns(Deployment deployment) {
        this.deployment = deployment;
        this.arns = new Arns(deployment, Dialect.FORECAST.arnService());
    }

    String datasetGroup(String name) {
        return arns.of(DATASET_GROUP, name);
    }

    String dataset(String name) {
        return arns.of(Arns.DATASET, name);
    }

    String importJob(String dataset, String job) {
        return arns.of(Arns.IMPORT_JOB, dataset + "/" + job);
    }

    String datasetGroupName(String arn) {
        return arns.nameOf(DATASET_GROUP, arn, "Dataset group");
    }

    String datasetName(String arn) {
        return arns.nameOf(Arns.DATASET, arn, "Dataset");
    }

    /** The dataset and job an import job's ARN names; NOT_FOUND for anything else. */
    JobRef importJob(String arn) {
        String prefix = deployment.arn(Dialect.FORECAST.arnService(), Arns.IMPORT_JOB, "");
        String rest = arn != null && arn.startsWith(prefix) ? arn.substring(prefix.length()) : "";
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
            throw IntakeException.notFound("Dataset import job " + arn + " does not exist");
        }
        return new JobRef(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** An import job as its ARN names it; {@code job} is also the engine's job name. */
    record JobRef(String dataset, String job) {
    }
}
