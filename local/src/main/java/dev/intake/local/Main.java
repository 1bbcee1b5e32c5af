package dev.intake.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The `intake` command: `local` runs the stack until stopped, `demo` runs the main job once. */
public final class Main {
    private static final String USAGE = """
            usage: intake local [--port N] [--s3-port N] [--data-dir DIR] [--in-memory]
                                [--import-source s3://bucket/folder/]... [--import-role-arn ARN]...
                                [--arrival-window SECONDS]
                   intake demo  [--port N] [--s3-port N]
                   intake bench [--rows N] [--dynalite-rows N] [--chunk-bytes N]
                   intake bench --arrivals [--files N]
                   intake bench --objects N
                   intake bench --pipeline [--rows N]
                   intake bench --heap [--gigabytes N]
              local   run Intake on 127.0.0.1 until Ctrl-C (API :4566, S3 :4567, data kept in .intake/);
                      imports may read s3://intake-landing/ and each --import-source (a bucket, or a folder
                      ending in /); a job's roleArn must be an --import-role-arn (recorded, not assumed);
                      files put into s3://intake-landing/<dataset>/ are imported, those arriving within
                      --arrival-window seconds (default 5, 0 to 900) of the first by one job
              demo    start an in-memory stack, import the example files, check the result (exit 0 if ACTIVE
                      with the expected counts)
              bench   import rows/s on the embedded store against plain INSERTs into it (in memory), and
                      DynamoDB write units per row on dynalite (needs Node.js 20+; installed once with npm);
                      with --arrivals: how many jobs a burst of N files (default 100) put into the landing
                      bucket over 3 s starts, for arrival windows of 0, 1 and 5 s; with --objects: one import
                      of a prefix of N small CSV objects through the Distributed Map, timing plan and ingest;
                      with --pipeline (also part of the
                      default run): the per-row pipeline's rows/s and allocation next to FastCSV, Commons CSV and
                      Jackson parsing the same generated file, and with C1 only; with --heap: the peak heap of a
                      generated 2 GB (or N GB) CSV import in a child JVM under -Xmx256m""";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status != 0 || !args[0].equals("local")) {
            System.exit(status); // `local` has stopped on Ctrl-C: the JVM is already exiting
        }
    }

    /** Runs a command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            return command(args, out);
        } catch (UsageError e) {
            err.println("intake: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (PortInUseException e) {
            // Expected often enough (a second `intake local`) to deserve one line instead of a trace.
            err.println("intake: " + e.getMessage() + "; stop what uses it or pass "
                    + (e.server() == PortInUseException.Server.API ? "--port" : "--s3-port") + " N");
            return 1;
        }
    }

    private static int command(String[] args, PrintStream out) throws Exception {
        String command = args[0];
        LocalRuntime.Options options = command.equals("local") ? LocalRuntime.Options.defaults()
                : LocalRuntime.Options.defaults().inMemory().withPorts(0, 0);
        int benchRows = 100_000;
        int dynaliteRows = 20_000;
        boolean arrivals = false;
        int arrivalFiles = 100;
        int objects = 0;
        boolean pipeline = false;
        boolean heap = false;
        int heapGigabytes = 2;
        for (int i = 1; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--in-memory" -> options = options.inMemory();
                case "--rows" -> benchRows = intArg(args, ++i, flag);
                case "--arrivals" -> arrivals = true;
                case "--files" -> arrivalFiles = intArg(args, ++i, flag);
                case "--objects" -> objects = intArg(args, ++i, flag);
                case "--pipeline" -> pipeline = true;
                case "--heap" -> heap = true;
                case "--gigabytes" -> heapGigabytes = intArg(args, ++i, flag);
                case "--dynalite-rows" -> dynaliteRows = intArg(args, ++i, flag);
                case "--chunk-bytes" -> options = options.withChunkBytes(intArg(args, ++i, flag));
                case "--port" -> options = options.withPorts(intArg(args, ++i, flag), options.s3Port());
                case "--s3-port" -> options = options.withPorts(options.apiPort(), intArg(args, ++i, flag));
                case "--data-dir" -> options = options.withDataDir(Path.of(arg(args, ++i, flag)));
                case "--import-source" -> options = setting(options, LocalRuntime.Options::withImportSource, arg(args, ++i, flag), flag);
                case "--import-role-arn" -> options = setting(options, LocalRuntime.Options::withImportRoleArn, arg(args, ++i, flag), flag);
                case "--arrival-window" -> options = setting(options,
                        (o, seconds) -> o.withArrivalWindow(java.time.Duration.ofSeconds(Integer.parseInt(seconds))),
                        arg(args, ++i, flag), flag);
                default -> throw new UsageError("unknown option " + flag);
            }
        }
        switch (command) {
            case "local" -> {
                runLocal(options, out);
                return 0;
            }
            case "demo" -> {
                try (LocalRuntime runtime = new LocalRuntime(options)) {
                    return new Demo(runtime, out).run() ? 0 : 1;
                }
            }
            case "bench" -> {
                if (objects > 0) {
                    new ObjectsBench(out).run(objects);
                    return 0;
                }
                if (arrivals) {
                    new ArrivalsBench(out).run(arrivalFiles, java.time.Duration.ofSeconds(3),
                            List.of(java.time.Duration.ZERO, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5)));
                    return 0;
                }
                if (pipeline || heap) {
                    if (pipeline) {
                        new PipelineBench(out).run(benchRows, true);
                    }
                    if (heap) {
                        new PipelineBench(out).heap(heapGigabytes * (1L << 30));
                    }
                    return 0;
                }
                try (LocalRuntime runtime = new LocalRuntime(options)) {
                    new Bench(runtime, options.chunkBytes(), Path.of("local", "target", "dynalite"), out)
                            .run(benchRows, dynaliteRows);
                }
                out.println();
                new PipelineBench(out).run(benchRows, true);
                return 0;
            }
            default -> throw new UsageError("unknown command " + command);
        }
    }

    private static void runLocal(LocalRuntime.Options options, PrintStream out) throws Exception {
        LocalRuntime runtime = new LocalRuntime(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runtime.close();
            } catch (Exception e) {
                System.err.println("error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }));
        out.println("Intake is running on 127.0.0.1 ("
                + (options.dataDir() == null ? "in memory" : "data in " + options.dataDir().toAbsolutePath()) + ")");
        out.println("  API: " + runtime.apiEndpoint() + "   (POST /intake/<Operation>, /personalize/<Operation>, /forecast/<Operation>,"
                + " /lookoutequipment/<Operation>)");
        out.println("  S3:  " + runtime.s3Endpoint() + "   buckets: " + LocalRuntime.LANDING_BUCKET + ", "
                + LocalRuntime.RESULTS_BUCKET + " (any credentials)");
        out.println("  Imports may read: " + String.join(" ", options.access().sources().stream()
                .map(dev.intake.core.ImportAccess.Source::uri).toList()) + (options.access().roleArns().isEmpty()
                ? " (jobs name no roleArn)" : "; roleArn: " + String.join(" ", options.access().roleArns())));
        out.println("Try:");
        out.println("  curl -s -X POST " + runtime.apiEndpoint() + "/intake/ListDatasets -d '{}'");
        out.println("  aws s3 ls s3://" + LocalRuntime.LANDING_BUCKET + " --endpoint-url " + runtime.s3Endpoint());
        out.println("  aws s3 cp data.csv s3://" + LocalRuntime.LANDING_BUCKET + "/<dataset>/ --endpoint-url "
                + runtime.s3Endpoint() + "   (imports it into <dataset>, " + options.arrivalWindow().toSeconds()
                + " s after the first of a burst)");
        out.println("Stop with Ctrl-C.");
        stopped.await();
    }

    private static LocalRuntime.Options setting(LocalRuntime.Options options,
            java.util.function.BiFunction<LocalRuntime.Options, String, LocalRuntime.Options> with, String value, String flag) {
        try {
            return with.apply(options, value);
        } catch (IllegalArgumentException e) {
            throw new UsageError(flag + ": " + e.getMessage());
        }
    }

    private static int intArg(String[] args, int i, String flag) {
        try {
            return Integer.parseInt(arg(args, i, flag));
        } catch (NumberFormatException e) {
            throw new UsageError(flag + " takes a whole number");
        }
    }

    private static String arg(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new UsageError(flag + " needs a value");
        }
        return args[i];
    }

    /** The command line is wrong: say how, then show the usage. */
    private static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }
}
