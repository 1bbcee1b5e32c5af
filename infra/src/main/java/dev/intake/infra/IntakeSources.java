package dev.intake.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The files of the repository the stack is built from: the two shaded functions jars (see
 * LambdaJars) and the state machine definitions. Found by walking up from a directory, because the CDK CLI runs the app from
 * the repo root while the tests run in infra/.
 *
 * @param repoRoot the directory that holds statemachine/ and functions/
 */
public record IntakeSources(Path repoRoot, Path apiJar, Path workflowJar, Path stateMachineDefinition) {
    static final String STATE_MACHINE_FILE = "statemachine/import-job.asl.json";

    /** Finds the repository at or above {@code start}. */
    /** The deletion state machine, beside the import one. */
    public Path deleteDefinition() {
        return repoRoot.resolve(DELETE_STATE_MACHINE_FILE);
    }

    static final String DELETE_STATE_MACHINE_FILE = "statemachine/delete-records.asl.json";

    /** The dataset-export state machine, beside the import one. */
    public Path exportDefinition() {
        return repoRoot.resolve(EXPORT_STATE_MACHINE_FILE);
    }

    static final String EXPORT_STATE_MACHINE_FILE = "statemachine/export-job.asl.json";

    public static IntakeSources locate(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(STATE_MACHINE_FILE)) && Files.isDirectory(dir.resolve("functions"))) {
                return new IntakeSources(dir, dir.resolve(jarPath("functions.apiJar")),
                        dir.resolve(jarPath("functions.workflowJar")), dir.resolve(STATE_MACHINE_FILE));
            }
        }
        throw new IllegalStateException("No Intake repository (with " + STATE_MACHINE_FILE + ") at or above " + start
                + "; run the CDK app from the repository root");
    }

    /** Locates the repository from the working directory. */
    public static IntakeSources fromWorkingDirectory() {
        return locate(Path.of(""));
    }

    /** One of the Lambda jars; fails with what to do when it has not been built. */
    Path requireJar(LambdaJars.Jar jar) {
        Path path = jar == LambdaJars.Jar.API ? apiJar : workflowJar;
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("The Lambda jar " + path + " does not exist: run mvn -B package first"
                    + " (from " + repoRoot + ")");
        }
        return path;
    }

    private static String jarPath(String property) {
        Properties properties = new Properties();
        try (InputStream in = IntakeSources.class.getResourceAsStream("/intake-infra.properties")) {
            if (in == null) {
                throw new IllegalStateException("intake-infra.properties is missing from the classpath; build infra with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty(property);
    }
}
