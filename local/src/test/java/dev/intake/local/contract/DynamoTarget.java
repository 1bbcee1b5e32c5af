package dev.intake.local.contract;

import dev.intake.adapters.dynamodb.TableNames;
import dev.intake.local.Dynalite;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Where the DynamoDB adapters' contract runs. By default on dynalite, started once per test JVM on
 * 127.0.0.1 (installed with npm into target/dynalite), with its missing transactions replayed by
 * {@link TransactionsOnDynalite}. Set {@value #VARIABLE} to run it on a real DynamoDB instead:
 * {@code aws} for the endpoint, region and credentials the AWS SDK finds by default, or an endpoint
 * URL. Each test class then gets its own pair of on-demand tables, deleted when the JVM exits.
 */
final class DynamoTarget {
    static final String VARIABLE = "INTAKE_CONTRACT_DYNAMODB";

    private static DynamoDbClient client;
    private static RuntimeException startFailure;
    private static boolean real;
    private static final List<String> created = new ArrayList<>();

    private DynamoTarget() {
    }

    /** Skips the calling test class, naming what is missing, when there is no DynamoDB to run on. */
    static synchronized DynamoDbClient client() {
        if (client != null) {
            return client;
        }
        if (startFailure != null) {
            throw startFailure; // once is enough: every later test class fails the same way
        }
        String setting = System.getenv(VARIABLE);
        if (setting != null && !setting.isBlank()) {
            real = true;
            var builder = DynamoDbClient.builder();
            if (!setting.equals("aws")) {
                builder.endpointOverride(URI.create(setting));
            }
            client = builder.build();
        } else {
            var missing = Dynalite.unavailable();
            Assumptions.assumeTrue(missing.isEmpty(), () -> "DynamoDB adapter contract skipped: " + missing.orElse("")
                    + " (or set " + VARIABLE + " to run it on a real DynamoDB)");
            Dynalite dynalite;
            try {
                dynalite = Dynalite.start(Path.of("target", "dynalite"));
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
            client = new TransactionsOnDynalite(dynalite.client());
            Runtime.getRuntime().addShutdownHook(new Thread(dynalite::close, "dynalite-stop"));
        }
        if (real) {
            Runtime.getRuntime().addShutdownHook(new Thread(DynamoTarget::deleteTables, "contract-tables-delete"));
        }
        return client;
    }

    /** A new pair of tables (control and records) for one test class. */
    static synchronized TableNames newTables() {
        DynamoDbClient dynamo = client();
        String prefix = "intake-contract-" + UUID.randomUUID().toString().substring(0, 8);
        TableNames tables = new TableNames(prefix + "-control", prefix + "-records");
        Dynalite.createTables(dynamo, tables);
        created.add(tables.control());
        created.add(tables.records());
        return tables;
    }

    static boolean transactionsAreReplayed() {
        return client instanceof TransactionsOnDynalite;
    }

    private static synchronized void deleteTables() {
        for (String table : created) {
            try {
                client.deleteTable(r -> r.tableName(table));
            } catch (RuntimeException e) {
                System.err.println("could not delete contract table " + table + ": " + e.getMessage());
            }
        }
    }
}
