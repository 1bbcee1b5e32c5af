package dev.intake.lookout;

import dev.intake.core.IntakeException;

/** The dataset a tagging operation's ResourceArn names: this deployment's, of that name and id (not an earlier one). */
final class TagTarget {
    private TagTarget() {
    }

    static LookoutOperation.Found find(LookoutOperation operation, LookoutArns arns, String arn) {
        LookoutArns.DatasetRef ref = arns.datasetRef(arn);
        return operation.findDataset(ref.name()).filter(f -> f.view().id().equals(ref.id()))
                .orElseThrow(() -> IntakeException.notFound("Resource " + arn + " does not exist"));
    }
}
