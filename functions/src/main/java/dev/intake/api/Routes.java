package dev.intake.api;

import static dev.intake.api.Route.Access.READ;
import static dev.intake.api.Route.Access.READ_PAGES;
import static dev.intake.api.Route.Access.START_IMPORTS;
import static dev.intake.api.Route.Access.WRITE;

import dev.intake.intake.CreateDatasetHandler;
import dev.intake.intake.DeleteDatasetHandler;
import dev.intake.intake.DescribeDatasetHandler;
import dev.intake.intake.DescribeImportJobHandler;
import dev.intake.intake.GetRecordHandler;
import dev.intake.intake.ListDatasetsHandler;
import dev.intake.personalize.CreateDatasetImportJobHandler;
import dev.intake.personalize.DescribeDatasetImportJobHandler;
import java.util.List;
import java.util.Optional;

/**
 * THE route table: the CDK stack makes one function and API method per entry, and the local
 * server routes to the same classes. A new operation is one line here.
 */
public final class Routes {
    public static final List<Route> ALL = List.of(
            Route.json(Dialect.PERSONALIZE, "CreateDatasetImportJob", CreateDatasetImportJobHandler.class, START_IMPORTS),
            Route.json(Dialect.PERSONALIZE, "DescribeDatasetImportJob", DescribeDatasetImportJobHandler.class, READ),
            Route.json(Dialect.INTAKE, "CreateDataset", CreateDatasetHandler.class, WRITE),
            Route.json(Dialect.INTAKE, "DescribeDataset", DescribeDatasetHandler.class, READ),
            Route.json(Dialect.INTAKE, "ListDatasets", ListDatasetsHandler.class, READ_PAGES),
            Route.json(Dialect.INTAKE, "DeleteDataset", DeleteDatasetHandler.class, WRITE),
            Route.json(Dialect.INTAKE, "GetRecord", GetRecordHandler.class, READ),
            Route.json(Dialect.INTAKE, "DescribeImportJob", DescribeImportJobHandler.class, READ));

    private Routes() {
    }

    public static Optional<Route> byPath(String method, String path) {
        return ALL.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).findFirst();
    }

    public static Optional<Route> byTarget(String target) {
        return ALL.stream().filter(r -> r.target().equals(target)).findFirst();
    }
}
