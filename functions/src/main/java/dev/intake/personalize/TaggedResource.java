package dev.intake.personalize;

import dev.intake.api.Arns;
import dev.intake.core.IntakeException;
import dev.intake.core.personalize.PersonalizeService.Taggable;

/** The resource a tagging request's ARN names: a dataset group, a dataset, an import or an export job. */
record TaggedResource(Taggable kind, String name) {

    static TaggedResource of(Arns arns, String arn) {
        for (var candidate : new Object[][] {{Arns.DATASET_GROUP, Taggable.DATASET_GROUP, "Dataset group"},
                {Arns.DATASET, Taggable.DATASET, "Dataset"}, {Arns.IMPORT_JOB, Taggable.IMPORT_JOB, "Dataset import job"},
                {Arns.EXPORT_JOB, Taggable.EXPORT_JOB, "Dataset export job"}}) {
            String type = (String) candidate[0];
            if (arn.startsWith(arns.of(type, ""))) {
                return new TaggedResource((Taggable) candidate[1], arns.nameOf(type, arn, (String) candidate[2]));
            }
        }
        if (arn.startsWith(arns.of(Arns.SCHEMA, ""))) {
            throw IntakeException.invalid("Schemas have no tags; tag a dataset group, dataset or dataset import job");
        }
        throw IntakeException.notFound("Resource " + arn + " does not exist");
    }
}
