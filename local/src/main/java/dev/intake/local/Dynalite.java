package dev.intake.local;

import dev.intake.adapters.dynamodb.TableNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * dynalite (npm, Apache-2.0): an open-source engine that speaks DynamoDB's API, run with Node.js on
 * 127.0.0.1 and a free port, in memory. Intake's DynamoDB adapters are tested and measured on it
 * (it has no transactions). Installed once into a directory with {@code npm ci} from the pinned
 * package-lock.json shipped on the class path.
 */
public final class Dynalite implements AutoCloseable {
    /** dynalite 4 needs Node.js 20 or later. */
    static final int NODE_MAJOR = 20;

    private final Process process;
    private final URI endpoint;

    private Dynalite(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Why dynalite cannot run on this machine (no or too old Node.js or npm), or empty when it can. */
    public static Optional<String> unavailable() {
        Optional<String> node = version("node");
        if (node.isEmpty()) {
            return Optional.of("Node.js (node) is not on the PATH; dynalite needs Node.js " + NODE_MAJOR + "+");
        }
        int major = majorOf(node.get());
        if (major < NODE_MAJOR) {
            return Optional.of("dynalite needs Node.js " + NODE_MAJOR + "+, and node is " + node.get());
        }
        if (version("npm").isEmpty()) {
            return Optional.of("npm is not on the PATH; it installs dynalite");
        }
        return Optional.empty();
    }

    private static int majorOf(String version) {
        String v = version.startsWith("v") ? version.substring(1) : version;
        int dot = v.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<String> version(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Installs dynalite into {@code directory} unless it is there, and starts it. */
    public static Dynalite start(Path installDirectory) {
        Path directory = installDirectory.toAbsolutePath();
        unavailable().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        try {
            install(directory);
            Process process = new ProcessBuilder("node", directory.resolve("serve.js").toString())
                    .directory(directory.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            String prefix = "dynalite listening on ";
            if (line == null || !line.startsWith(prefix)) {
                process.destroyForcibly();
                throw new IllegalStateException("dynalite did not start (it printed: " + line + ")");
            }
            return new Dynalite(process, URI.create("http://127.0.0.1:" + Integer.parseInt(line.substring(prefix.length()))));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start dynalite in " + directory, e);
        }
    }

    private static void install(Path directory) throws IOException {
        Files.createDirectories(directory);
        boolean changed = false;
        for (String file : List.of("package.json", "package-lock.json", "serve.js")) {
            try (InputStream in = Dynalite.class.getResourceAsStream("/dynalite/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("/dynalite/" + file + " is not on the class path");
                }
                byte[] wanted = in.readAllBytes();
                Path target = directory.resolve(file);
                if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), wanted)) {
                    Files.write(target, wanted);
                    changed = true;
                }
            }
        }
        if (!changed && Files.exists(directory.resolve("node_modules/dynalite/package.json"))) {
            return;
        }
        // --ignore-scripts: the in-memory store needs no native LevelDB build.
        Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                .directory(directory.toFile()).redirectErrorStream(true).start();
        String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci of dynalite failed in " + directory + ":\n" + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing dynalite", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client for this dynalite (any credentials do; it checks only that a request is signed). */
    public DynamoDbClient client() {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
                .build();
    }

    /** Creates Intake's two tables, keyed as the CDK stack keys them. */
    public static void createTables(DynamoDbClient dynamo, TableNames tables) {
        for (String table : List.of(tables.control(), tables.records())) {
            dynamo.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // serve.js exits when its stdin ends
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
