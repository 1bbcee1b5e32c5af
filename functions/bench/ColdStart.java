import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.lang.management.ManagementFactory;

/**
 * Cold start of one handler in a fresh JVM that has only a Lambda jar: the time from JVM start
 * (and from main) to the handler's first response, then a second (warm) call. Run by cold-start.sh.
 * An API handler gets API Gateway's proxy event with the body; a workflow task (a stream handler)
 * the body as its input, and its first response is its output or the exception it ends with.
 *
 * <p>args: handler class, request body.
 */
public final class ColdStart {
    public static void main(String[] args) throws Exception {
        long mainAt = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Object instance = Class.forName(args[0]).getConstructor().newInstance();
        if (instance instanceof RequestStreamHandler task) {
            String first = runTask(task, args[1]);
            long firstAt = System.currentTimeMillis();
            String work = workSoFar();
            runTask(task, args[1]);
            long secondMs = System.currentTimeMillis() - firstAt;
            System.err.printf("status=%s jvm_to_first_response_ms=%d main_to_first_response_ms=%d second_call_ms=%d %s%n",
                    first, firstAt - jvmStart, firstAt - mainAt, secondMs, work);
            return;
        }
        @SuppressWarnings("unchecked")
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler =
                (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>) instance;
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod("POST").withBody(args[1]);
        APIGatewayProxyResponseEvent first = handler.handleRequest(event, new FakeContext());
        long firstAt = System.currentTimeMillis();
        String work = workSoFar();
        handler.handleRequest(event, new FakeContext());
        long secondMs = System.currentTimeMillis() - firstAt;
        System.err.printf("status=%d jvm_to_first_response_ms=%d main_to_first_response_ms=%d second_call_ms=%d %s%n",
                first.getStatusCode(), firstAt - jvmStart, firstAt - mainAt, secondMs, work);
    }

    /**
     * The work the JVM did up to now, which a busy machine changes less than the elapsed time: CPU
     * time of all its threads (JIT and GC included), and the classes it loaded.
     */
    private static String workSoFar() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return "cpu_ms=" + os.getProcessCpuTime() / 1_000_000
                + " classes_loaded=" + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    }

    /** "ok", or the class of the exception the task ended with (as Step Functions would see it). */
    private static String runTask(RequestStreamHandler task, String input) {
        try {
            task.handleRequest(new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    new java.io.ByteArrayOutputStream(), new FakeContext());
            return "ok";
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    /** What the Lambda runtime passes; Powertools logging reads the request id and function name. */
    private static final class FakeContext implements Context {
        public String getAwsRequestId() { return "cold-start-probe"; }
        public String getLogGroupName() { return "/aws/lambda/probe"; }
        public String getLogStreamName() { return "probe"; }
        public String getFunctionName() { return "probe"; }
        public String getFunctionVersion() { return "$LATEST"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:probe"; }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return 30_000; }
        public int getMemoryLimitInMB() { return 1024; }
        public LambdaLogger getLogger() { return null; }
    }
}
