package dev.intake.lookout;

import dev.intake.api.Dialect;
import dev.intake.app.Deployment;
import dev.intake.core.IntakeException;

/**
 * Lookout for Equipment's ARNs: a dataset's is {@code dataset/<name>/<id>}, the id telling a dataset
 * from an earlier one of the same name (as in AWS).
 */
final class LookoutArns {
    private final Deployment deployment;

    LookoutArns(Deployment deployment) {
        this.deployment = deployment;
    }

    String dataset(String name, String id) {
        return deployment.arn(Dialect.LOOKOUTEQUIPMENT.arnService(), "dataset", name + "/" + id);
    }

    /** The KMS key's ARN: a key id or alias given alone is this deployment's. */
    String kmsKey(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        return deployment.arn("kms", nameOrArn.startsWith("alias/") ? "alias" : "key",
                nameOrArn.startsWith("alias/") ? nameOrArn.substring("alias/".length()) : nameOrArn);
    }

    /** A dataset ARN's name and id; NOT_FOUND for any other ARN. */
    DatasetRef datasetRef(String arn) {
        String prefix = deployment.arn(Dialect.LOOKOUTEQUIPMENT.arnService(), "dataset", "");
        String rest = arn != null && arn.startsWith(prefix) ? arn.substring(prefix.length()) : "";
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
            throw IntakeException.notFound("Resource " + arn + " does not exist (tags are kept on datasets here)");
        }
        return new DatasetRef(rest.substring(0, slash), rest.substring(slash + 1));
    }

    record DatasetRef(String name, String id) {
    }
}
