package dev.intake.api;

import static dev.intake.app.Permission.CONTROL_READ;
import static dev.intake.app.Permission.CONTROL_WRITE;
import static dev.intake.app.Permission.MANAGE_SCHEDULES;
import static dev.intake.app.Permission.RECORDS_DELETE;
import static dev.intake.app.Permission.RECORDS_READ;
import static dev.intake.app.Permission.SIGNING_KEY_CREATE;
import static dev.intake.app.Permission.START_DELETIONS;
import static dev.intake.app.Permission.START_IMPORTS;

import dev.intake.intake.CreateDataSourceHandler;
import dev.intake.intake.CreateDatasetHandler;
import dev.intake.intake.DeleteDataSourceHandler;
import dev.intake.intake.DeleteDatasetHandler;
import dev.intake.intake.DescribeDataSourceHandler;
import dev.intake.intake.DescribeDatasetHandler;
import dev.intake.intake.DescribeImportJobHandler;
import dev.intake.intake.GetRecordHandler;
import dev.intake.intake.ListDataSourcesHandler;
import dev.intake.intake.ListDatasetsHandler;
import dev.intake.intake.StartDataSourceRunHandler;
import dev.intake.intake.UpdateDataSourceHandler;
import dev.intake.personalize.CreateDatasetImportJobHandler;
import dev.intake.personalize.DescribeDatasetImportJobHandler;
import java.util.List;
import java.util.Optional;

/**
 * THE route table: the CDK stack makes one function and API method per entry, and the local
 * server routes to the same classes. A new operation is one line here.
 */
public final class Routes {
    /** Each with what its handler touches (see Permission), which is all its function may do. */
    public static final List<Route> ALL = List.of(
            // reads the dataset; stores the job, its queue entry and the dataset's count (one transaction)
            Route.json(Dialect.PERSONALIZE, "CreateDatasetImportJob", CreateDatasetImportJobHandler.class,
                    CONTROL_READ, CONTROL_WRITE, START_IMPORTS),
            Route.json(Dialect.PERSONALIZE, "DescribeDatasetImportJob", DescribeDatasetImportJobHandler.class, CONTROL_READ),
            // one conditional PutItem; reads nothing
            Route.json(Dialect.INTAKE, "CreateDataset", CreateDatasetHandler.class, CONTROL_WRITE),
            Route.json(Dialect.INTAKE, "DescribeDataset", DescribeDatasetHandler.class, CONTROL_READ),
            Route.json(Dialect.INTAKE, "ListDatasets", ListDatasetsHandler.class, CONTROL_READ, SIGNING_KEY_CREATE),
            // deletes the dataset item (reading it when the condition fails), then its generations' records
            // marks the dataset deleting and starts the deletion workflow, which deletes the records
            Route.json(Dialect.INTAKE, "DeleteDataset", DeleteDatasetHandler.class, CONTROL_READ, CONTROL_WRITE,
                    START_DELETIONS),
            Route.json(Dialect.INTAKE, "GetRecord", GetRecordHandler.class, CONTROL_READ, RECORDS_READ),
            Route.json(Dialect.INTAKE, "DescribeImportJob", DescribeImportJobHandler.class, CONTROL_READ),
            // reads the dataset, puts the source (conditional), makes its schedule; deletes the source
            // again if the schedule cannot be made
            Route.json(Dialect.INTAKE, "CreateDataSource", CreateDataSourceHandler.class, CONTROL_READ, CONTROL_WRITE,
                    MANAGE_SCHEDULES),
            Route.json(Dialect.INTAKE, "DescribeDataSource", DescribeDataSourceHandler.class, CONTROL_READ),
            Route.json(Dialect.INTAKE, "ListDataSources", ListDataSourcesHandler.class, CONTROL_READ, SIGNING_KEY_CREATE),
            // reads the source and the dataset, updates the schedule, then puts the source (conditional on its version)
            Route.json(Dialect.INTAKE, "UpdateDataSource", UpdateDataSourceHandler.class, CONTROL_READ, CONTROL_WRITE,
                    MANAGE_SCHEDULES),
            // deletes the schedule, then the source
            Route.json(Dialect.INTAKE, "DeleteDataSource", DeleteDataSourceHandler.class, CONTROL_READ, CONTROL_WRITE,
                    MANAGE_SCHEDULES),
            // reads the source; creates an import job as CreateDatasetImportJob does
            Route.json(Dialect.INTAKE, "StartDataSourceRun", StartDataSourceRunHandler.class, CONTROL_READ,
                    CONTROL_WRITE, START_IMPORTS),
            // reads the job; ends a pending one (one transaction) and starts the dataset's next job,
            // or marks a running one STOPPING and stops its execution (DescribeExecution, StopExecution)
            Route.json(Dialect.INTAKE, "StopImportJob", dev.intake.intake.StopImportJobHandler.class, CONTROL_READ,
                    CONTROL_WRITE, START_IMPORTS, dev.intake.app.Permission.STOP_IMPORTS),
            // ---- Amazon Forecast: dataset groups (the Forecast store), datasets (the one dataset store), imports ----
            // reads each named dataset; puts the group (conditional)
            Route.json(Dialect.FORECAST, "CreateDatasetGroup", dev.intake.forecast.CreateDatasetGroupHandler.class,
                    CONTROL_READ, CONTROL_WRITE),
            Route.json(Dialect.FORECAST, "DescribeDatasetGroup", dev.intake.forecast.DescribeDatasetGroupHandler.class,
                    CONTROL_READ),
            Route.json(Dialect.FORECAST, "ListDatasetGroups", dev.intake.forecast.ListDatasetGroupsHandler.class,
                    CONTROL_READ, SIGNING_KEY_CREATE),
            // reads the group and each named dataset; updates the group (conditional on its version)
            Route.json(Dialect.FORECAST, "UpdateDatasetGroup", dev.intake.forecast.UpdateDatasetGroupHandler.class,
                    CONTROL_READ, CONTROL_WRITE),
            Route.json(Dialect.FORECAST, "DeleteDatasetGroup", dev.intake.forecast.DeleteDatasetGroupHandler.class,
                    CONTROL_READ, CONTROL_WRITE),
            // one conditional PutItem, as Intake's CreateDataset
            Route.json(Dialect.FORECAST, "CreateDataset", dev.intake.forecast.CreateDatasetHandler.class, CONTROL_WRITE),
            Route.json(Dialect.FORECAST, "DescribeDataset", dev.intake.forecast.DescribeDatasetHandler.class, CONTROL_READ),
            Route.json(Dialect.FORECAST, "ListDatasets", dev.intake.forecast.ListDatasetsHandler.class, CONTROL_READ,
                    SIGNING_KEY_CREATE),
            // as Intake's DeleteDataset: marks it deleting and starts the deletion workflow
            Route.json(Dialect.FORECAST, "DeleteDataset", dev.intake.forecast.DeleteDatasetHandler.class, CONTROL_READ,
                    CONTROL_WRITE, START_DELETIONS),
            // reads the dataset; puts the job's settings, then creates the job as CreateDatasetImportJob does
            Route.json(Dialect.FORECAST, "CreateDatasetImportJob", dev.intake.forecast.CreateDatasetImportJobHandler.class,
                    CONTROL_READ, CONTROL_WRITE, START_IMPORTS),
            Route.json(Dialect.FORECAST, "DescribeDatasetImportJob",
                    dev.intake.forecast.DescribeDatasetImportJobHandler.class, CONTROL_READ),
            // queries the job listing, reads each job and its settings
            Route.json(Dialect.FORECAST, "ListDatasetImportJobs", dev.intake.forecast.ListDatasetImportJobsHandler.class,
                    CONTROL_READ, SIGNING_KEY_CREATE),
            // reads the job and its settings; marks the settings deleted
            Route.json(Dialect.FORECAST, "DeleteDatasetImportJob", dev.intake.forecast.DeleteDatasetImportJobHandler.class,
                    CONTROL_READ, CONTROL_WRITE),
            // as Intake's StopImportJob
            Route.json(Dialect.FORECAST, "StopResource", dev.intake.forecast.StopResourceHandler.class, CONTROL_READ,
                    CONTROL_WRITE, START_IMPORTS, dev.intake.app.Permission.STOP_IMPORTS),
            // Personalize's schemas, dataset groups, datasets and tags (dev.intake.personalize)
            // one conditional PutItem
            Route.json(Dialect.PERSONALIZE, "CreateSchema", dev.intake.personalize.CreateSchemaHandler.class, CONTROL_WRITE),
            Route.json(Dialect.PERSONALIZE, "DescribeSchema", dev.intake.personalize.DescribeSchemaHandler.class, CONTROL_READ),
            Route.json(Dialect.PERSONALIZE, "ListSchemas", dev.intake.personalize.ListSchemasHandler.class, CONTROL_READ, SIGNING_KEY_CREATE),
            // a DeleteItem conditioned on no dataset using it (reading it when the condition fails)
            Route.json(Dialect.PERSONALIZE, "DeleteSchema", dev.intake.personalize.DeleteSchemaHandler.class, CONTROL_READ, CONTROL_WRITE),
            // the group and its tags in one transaction
            Route.json(Dialect.PERSONALIZE, "CreateDatasetGroup", dev.intake.personalize.CreateDatasetGroupHandler.class, CONTROL_WRITE),
            Route.json(Dialect.PERSONALIZE, "DescribeDatasetGroup", dev.intake.personalize.DescribeDatasetGroupHandler.class, CONTROL_READ),
            Route.json(Dialect.PERSONALIZE, "ListDatasetGroups", dev.intake.personalize.ListDatasetGroupsHandler.class, CONTROL_READ,
                    SIGNING_KEY_CREATE),
            // deletes the group (conditioned on no dataset) and its tags in one transaction
            Route.json(Dialect.PERSONALIZE, "DeleteDatasetGroup", dev.intake.personalize.DeleteDatasetGroupHandler.class, CONTROL_READ,
                    CONTROL_WRITE),
            // reads group and schema; one transaction: Intake dataset, Personalize's view, tags, both counts
            Route.json(Dialect.PERSONALIZE, "CreateDataset", dev.intake.personalize.CreateDatasetHandler.class, CONTROL_READ, CONTROL_WRITE),
            Route.json(Dialect.PERSONALIZE, "DescribeDataset", dev.intake.personalize.DescribeDatasetHandler.class, CONTROL_READ),
            Route.json(Dialect.PERSONALIZE, "ListDatasets", dev.intake.personalize.ListDatasetsHandler.class, CONTROL_READ, SIGNING_KEY_CREATE),
            // reads; one transaction: Intake dataset's schema, Personalize's view, both schemas' counts
            Route.json(Dialect.PERSONALIZE, "UpdateDataset", dev.intake.personalize.UpdateDatasetHandler.class, CONTROL_READ, CONTROL_WRITE),
            // marks the Intake dataset deleting and starts the deletion workflow (as Intake's DeleteDataset),
            // then marks Personalize's view deleting and frees group and schema (one transaction)
            Route.json(Dialect.PERSONALIZE, "DeleteDataset", dev.intake.personalize.DeleteDatasetHandler.class, CONTROL_READ, CONTROL_WRITE,
                    START_DELETIONS),
            // reads the resource and its tags; puts the tags conditioned on their version
            Route.json(Dialect.PERSONALIZE, "TagResource", dev.intake.personalize.TagResourceHandler.class, CONTROL_READ, CONTROL_WRITE),
            Route.json(Dialect.PERSONALIZE, "UntagResource", dev.intake.personalize.UntagResourceHandler.class, CONTROL_READ, CONTROL_WRITE),
            // a page of a job listing, then each job
            Route.json(Dialect.PERSONALIZE, "ListDatasetImportJobs", dev.intake.personalize.ListDatasetImportJobsHandler.class,
                    CONTROL_READ, SIGNING_KEY_CREATE),
            Route.json(Dialect.PERSONALIZE, "ListTagsForResource", dev.intake.personalize.ListTagsForResourceHandler.class, CONTROL_READ),
            // reads the dataset; puts the export job (conditional) and starts its execution
            Route.json(Dialect.PERSONALIZE, "CreateDatasetExportJob", dev.intake.personalize.CreateDatasetExportJobHandler.class,
                    CONTROL_READ, CONTROL_WRITE, dev.intake.app.Permission.START_EXPORTS),
            Route.json(Dialect.PERSONALIZE, "DescribeDatasetExportJob",
                    dev.intake.personalize.DescribeDatasetExportJobHandler.class, CONTROL_READ),
            // queries the export jobs' partition
            Route.json(Dialect.PERSONALIZE, "ListDatasetExportJobs", dev.intake.personalize.ListDatasetExportJobsHandler.class,
                    CONTROL_READ, SIGNING_KEY_CREATE),
            // ---- Amazon Lookout for Equipment (dev.intake.lookout): its view of its datasets, ingestion jobs and
            // client tokens in the Lookout store; datasets and jobs are the engine's ----
            // reads the token; puts it, the Intake dataset (conditional) and Lookout's view
            Route.json(Dialect.LOOKOUTEQUIPMENT, "CreateDataset", dev.intake.lookout.CreateDatasetHandler.class, CONTROL_READ,
                    CONTROL_WRITE),
            // the view, the dataset, its latest job and that job's chunk results
            Route.json(Dialect.LOOKOUTEQUIPMENT, "DescribeDataset", dev.intake.lookout.DescribeDatasetHandler.class, CONTROL_READ),
            Route.json(Dialect.LOOKOUTEQUIPMENT, "ListDatasets", dev.intake.lookout.ListDatasetsHandler.class, CONTROL_READ,
                    SIGNING_KEY_CREATE),
            // as Intake's DeleteDataset, then deletes Lookout's view
            Route.json(Dialect.LOOKOUTEQUIPMENT, "DeleteDataset", dev.intake.lookout.DeleteDatasetHandler.class, CONTROL_READ,
                    CONTROL_WRITE, START_DELETIONS),
            // reads the token; puts it and the job's settings, then creates the job as CreateDatasetImportJob does
            Route.json(Dialect.LOOKOUTEQUIPMENT, "StartDataIngestionJob", dev.intake.lookout.StartDataIngestionJobHandler.class,
                    CONTROL_READ, CONTROL_WRITE, START_IMPORTS),
            Route.json(Dialect.LOOKOUTEQUIPMENT, "DescribeDataIngestionJob",
                    dev.intake.lookout.DescribeDataIngestionJobHandler.class, CONTROL_READ),
            Route.json(Dialect.LOOKOUTEQUIPMENT, "ListDataIngestionJobs", dev.intake.lookout.ListDataIngestionJobsHandler.class,
                    CONTROL_READ, SIGNING_KEY_CREATE),
            // reads the dataset's view; updates it conditioned on its version
            Route.json(Dialect.LOOKOUTEQUIPMENT, "TagResource", dev.intake.lookout.TagResourceHandler.class, CONTROL_READ,
                    CONTROL_WRITE),
            Route.json(Dialect.LOOKOUTEQUIPMENT, "UntagResource", dev.intake.lookout.UntagResourceHandler.class, CONTROL_READ,
                    CONTROL_WRITE),
            Route.json(Dialect.LOOKOUTEQUIPMENT, "ListTagsForResource", dev.intake.lookout.ListTagsForResourceHandler.class,
                    CONTROL_READ),
            // ---- Amazon DataZone (rest-json): domains, data sources (saved sources), runs (import jobs) ----
            // path parameters are named alike at each level (API Gateway allows one variable per level)
            // puts the domain (conditional) and the client token
            Route.rest(Dialect.DATAZONE, "CreateDomain", "POST", "/v2/domains", dev.intake.datazone.CreateDomainHandler.class,
                    CONTROL_READ, CONTROL_WRITE),
            Route.rest(Dialect.DATAZONE, "ListDomains", "GET", "/v2/domains", dev.intake.datazone.ListDomainsHandler.class,
                    CONTROL_READ, SIGNING_KEY_CREATE),
            Route.rest(Dialect.DATAZONE, "GetDomain", "GET", "/v2/domains/{domainIdentifier}",
                    dev.intake.datazone.GetDomainHandler.class, CONTROL_READ),
            // queries its data sources; deletes the domain
            Route.rest(Dialect.DATAZONE, "DeleteDomain", "DELETE", "/v2/domains/{domainIdentifier}",
                    dev.intake.datazone.DeleteDomainHandler.class, CONTROL_READ, CONTROL_WRITE),
            // as Intake's CreateDataSource (saved source and schedule), then DataZone's view and the client token
            Route.rest(Dialect.DATAZONE, "CreateDataSource", "POST", "/v2/domains/{domainIdentifier}/data-sources",
                    dev.intake.datazone.CreateDataSourceHandler.class, CONTROL_READ, CONTROL_WRITE, MANAGE_SCHEDULES),
            Route.rest(Dialect.DATAZONE, "ListDataSources", "GET", "/v2/domains/{domainIdentifier}/data-sources",
                    dev.intake.datazone.ListDataSourcesHandler.class, CONTROL_READ, SIGNING_KEY_CREATE),
            Route.rest(Dialect.DATAZONE, "GetDataSource", "GET",
                    "/v2/domains/{domainIdentifier}/data-sources/{dataSourceIdentifier}",
                    dev.intake.datazone.GetDataSourceHandler.class, CONTROL_READ),
            // as Intake's UpdateDataSource, then DataZone's view (conditional on its version)
            Route.rest(Dialect.DATAZONE, "UpdateDataSource", "PATCH",
                    "/v2/domains/{domainIdentifier}/data-sources/{dataSourceIdentifier}",
                    dev.intake.datazone.UpdateDataSourceHandler.class, CONTROL_READ, CONTROL_WRITE, MANAGE_SCHEDULES),
            // brings its runs up to date (their end: the source's imported ETags), then as Intake's DeleteDataSource
            Route.rest(Dialect.DATAZONE, "DeleteDataSource", "DELETE",
                    "/v2/domains/{domainIdentifier}/data-sources/{dataSourceIdentifier}",
                    dev.intake.datazone.DeleteDataSourceHandler.class, CONTROL_READ, CONTROL_WRITE, MANAGE_SCHEDULES),
            // brings earlier runs up to date, lists the folder (as the source's role), puts the job's objects,
            // creates the job as CreateDatasetImportJob does, puts the run, its activities and the client token
            Route.rest(Dialect.DATAZONE, "StartDataSourceRun", "POST",
                    "/v2/domains/{domainIdentifier}/data-sources/{dataSourceIdentifier}/runs",
                    dev.intake.datazone.StartDataSourceRunHandler.class, CONTROL_READ, CONTROL_WRITE, START_IMPORTS,
                    dev.intake.app.Permission.READ_SOURCES),
            // reading a run whose job ended makes it final: writes it, its activities and the source's ETags
            Route.rest(Dialect.DATAZONE, "ListDataSourceRuns", "GET",
                    "/v2/domains/{domainIdentifier}/data-sources/{dataSourceIdentifier}/runs",
                    dev.intake.datazone.ListDataSourceRunsHandler.class, CONTROL_READ, CONTROL_WRITE, SIGNING_KEY_CREATE),
            Route.rest(Dialect.DATAZONE, "GetDataSourceRun", "GET", "/v2/domains/{domainIdentifier}/data-source-runs/{runIdentifier}",
                    dev.intake.datazone.GetDataSourceRunHandler.class, CONTROL_READ, CONTROL_WRITE),
            Route.rest(Dialect.DATAZONE, "ListDataSourceRunActivities", "GET",
                    "/v2/domains/{domainIdentifier}/data-source-runs/{runIdentifier}/activities",
                    dev.intake.datazone.ListDataSourceRunActivitiesHandler.class, CONTROL_READ, CONTROL_WRITE,
                    SIGNING_KEY_CREATE));

    private Routes() {
    }

    public static Optional<Route> byPath(String method, String path) {
        return ALL.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).findFirst();
    }

    /** A route and the path parameters a request path gives it. */
    public record Resolved(Route route, java.util.Map<String, String> pathParameters) {
    }

    /** The route a method and path reach, literal paths and rest templates alike. */
    public static Optional<Resolved> resolve(String method, String path) {
        for (Route route : ALL) {
            if (route.method().equals(method)) {
                Optional<java.util.Map<String, String>> parameters = route.match(path);
                if (parameters.isPresent()) {
                    return Optional.of(new Resolved(route, parameters.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** The methods a rest dialect serves at a path (empty if none): what API Gateway's resource has. */
    public static java.util.List<String> methodsAt(String path) {
        return ALL.stream().filter(r -> r.dialect().rest() && r.match(path).isPresent()).map(Route::method).distinct()
                .toList();
    }

    public static Optional<Route> byTarget(String target) {
        return ALL.stream().filter(r -> r.target().equals(target)).findFirst();
    }
}
