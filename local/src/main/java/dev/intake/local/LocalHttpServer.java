package dev.intake.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.intake.api.Dialect;
import dev.intake.api.Json;
import dev.intake.api.Route;
import dev.intake.api.Routes;
import dev.intake.app.Services;
import dev.intake.core.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The API on 127.0.0.1, routed by the same route table as the CDK stack to the same handler
 * classes. Accepts both Intake's paths (POST /personalize/DescribeDatasetImportJob) and the AWS
 * SDK's wire form (POST / with an X-Amz-Target header), so stock SDK clients work unchanged.
 */
public final class LocalHttpServer implements AutoCloseable {
    /** API Gateway's payload limit. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /**
     * How long a client may take to send one whole request (request line, headers and body); a
     * client that stalls longer is disconnected, so it holds a thread for at most this long.
     */
    static final int REQUEST_TIMEOUT_SECONDS = 10;
    /**
     * How long the server may take from a request's last byte to the client having taken in the
     * whole answer (the operation runs in this time too); a backstop against clients that never read.
     */
    static final int RESPONSE_TIMEOUT_SECONDS = 120;
    /**
     * Requests served at once. Each waits on one client, so this is many more than there are cores;
     * more requests wait their turn (a stalled one frees its thread after REQUEST_TIMEOUT_SECONDS).
     */
    static final int MAX_THREADS = 200;
    private static final Logger LOG = Logger.getLogger(LocalHttpServer.class.getName());

    static {
        // The JDK's server reads its timeouts from these properties once, when the first server of
        // the JVM is made (nothing else in this process makes one); a value given with -D wins.
        setIfAbsent("sun.net.httpserver.maxReqTime", REQUEST_TIMEOUT_SECONDS);
        setIfAbsent("sun.net.httpserver.maxRspTime", RESPONSE_TIMEOUT_SECONDS);
    }

    private final HttpServer server;
    private final ThreadPoolExecutor threads;
    private final Map<Route, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> handlers =
            new HashMap<>();

    /**
     * @throws PortInUseException when something else listens on the port (the message names it)
     */
    public LocalHttpServer(Services services, int port) throws IOException {
        for (Route route : Routes.ALL) {
            handlers.put(route, instantiate(route, services));
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (BindException e) {
            throw new PortInUseException(PortInUseException.Server.API, port, e);
        }
        server.createContext("/", this::serve);
        AtomicInteger count = new AtomicInteger();
        threads = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "intake-api-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.allowCoreThreadTimeOut(true); // threads come with requests and go when idle
        server.setExecutor(threads);
        server.start();
    }

    private static void setIfAbsent(String property, int seconds) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, String.valueOf(seconds));
        }
    }

    @SuppressWarnings("unchecked")
    private static RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> instantiate(
            Route route, Services services) {
        try {
            return (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>) Class
                    .forName(route.handlerClass()).getConstructor(Services.class).newInstance(services);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("route " + route.path() + " has no usable handler " + route.handlerClass(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Optional<Route> route = Routes.byPath(method, path);
            Map<String, String> pathParameters = null;
            if (route.isEmpty()) {
                // rest-json routes (DataZone): a path template with parameters
                Optional<Routes.Resolved> resolved = Routes.resolve(method, path);
                if (resolved.isPresent()) {
                    route = Optional.of(resolved.get().route());
                    pathParameters = resolved.get().pathParameters();
                } else if (!Routes.methodsAt(path).isEmpty()) {
                    notAllowed(exchange, method, path, Routes.methodsAt(path));
                    return;
                }
            }
            if (route.isEmpty() && "POST".equals(method) && target != null) {
                route = Routes.byTarget(target);
            }
            if (route.isEmpty()) {
                unknown(exchange, method, path, target);
                return;
            }
            Dialect dialect = route.get().dialect();
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, dialect, dialect.errorStatus(ErrorKind.PAYLOAD_TOO_LARGE),
                        dialect.errorName(ErrorKind.PAYLOAD_TOO_LARGE), "The request body is larger than "
                        + MAX_BODY_BYTES + " bytes");
                return;
            }
            String text;
            try {
                text = utf8(body);
            } catch (MalformedUtf8 e) {
                // Decoding leniently would hand the operation U+FFFD in place of what the client sent.
                send(exchange, dialect, dialect.errorStatus(ErrorKind.SERIALIZATION),
                        dialect.errorName(ErrorKind.SERIALIZATION),
                        "The request body is not valid UTF-8 (at byte offset " + e.offset + ")");
                return;
            }
            APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                    .withHttpMethod(method).withPath(path).withResource(route.get().path())
                    .withHeaders(headers(exchange)).withBody(text)
                    .withPathParameters(pathParameters)
                    .withQueryStringParameters(query(exchange.getRequestURI().getRawQuery()))
                    .withIsBase64Encoded(false);
            APIGatewayProxyResponseEvent response = handlers.get(route.get()).handleRequest(event, null);
            byte[] out = response.getBody() == null ? new byte[0] : response.getBody().getBytes(StandardCharsets.UTF_8);
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            }
            exchange.sendResponseHeaders(response.getStatusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "local API failed", e);
            try {
                send(exchange, Dialect.PERSONALIZE, 500, "InternalFailure", "The local server could not process the request");
            } catch (IOException | RuntimeException ignored) {
                // the response had already started; nothing more to tell the client
            }
        }
    }

    /**
     * No route: an API request (POST /, a dialect's path, an X-Amz-Target) names an operation that
     * does not exist, which AWS answers 400 UnknownOperationException; any other path is not an API.
     */
    private static void unknown(HttpExchange exchange, String method, String path, String target) throws IOException {
        Optional<Dialect> byPath = Arrays.stream(Dialect.values())
                .filter(d -> path.startsWith("/" + d.pathSegment() + "/")).findFirst();
        Optional<Dialect> byTarget = target == null ? Optional.empty() : Arrays.stream(Dialect.values())
                .filter(d -> target.startsWith(d.targetPrefix() + ".")).findFirst();
        if (byPath.filter(d -> d == Dialect.DATAZONE).isPresent()) {
            // a rest API: an unknown path is no resource of it, as API Gateway answers
            send(exchange, Dialect.DATAZONE, 404, "NotFoundException", "Intake serves no API at " + method + " " + path);
            return;
        }
        if (target == null && byPath.isEmpty() && !path.equals("/")) {
            send(exchange, Dialect.PERSONALIZE, 404, "NotFoundException", "Intake serves no API at " + method + " " + path);
            return;
        }
        String message;
        if (!"POST".equals(method)) {
            message = "Intake has no operation " + method + " " + path + " (its operations are POST)";
        } else if (target != null) {
            message = "Intake has no operation " + target;
        } else if (path.equals("/")) {
            message = "Intake has no operation POST /; name one in the path (POST /intake/ListDatasets) or in the"
                    + " X-Amz-Target header";
        } else {
            message = "Intake has no operation POST " + path;
        }
        send(exchange, byPath.or(() -> byTarget).orElse(Dialect.PERSONALIZE), 400, "UnknownOperationException", message);
    }

    /**
     * A rest route's path with a method it does not serve: 405 naming the methods it does (API
     * Gateway's own answer for an IAM-authorized API is a 403, which tells a developer less).
     */
    private static void notAllowed(HttpExchange exchange, String method, String path, java.util.List<String> methods)
            throws IOException {
        exchange.getResponseHeaders().add("Allow", String.join(", ", methods));
        Dialect dialect = Routes.resolve(methods.get(0), path).orElseThrow().route().dialect();
        send(exchange, dialect, 405, "MethodNotAllowedException", "Intake has no operation " + method + " " + path
                + "; the path takes " + String.join(", ", methods));
    }

    /** The query string as API Gateway's proxy event has it: decoded, the last value of a repeated name. */
    static Map<String, String> query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.put(name, value);
        }
        return parameters;
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        return headers;
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    /** Bytes that are UTF-8, as text; anything else is refused rather than replaced. */
    static String utf8(byte[] bytes) throws MalformedUtf8 {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never has fewer bytes than UTF-16 chars
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new MalformedUtf8(in.position());
        }
        return out.flip().toString();
    }

    /** Where the first byte that is not part of a UTF-8 character is. */
    static final class MalformedUtf8 extends Exception {
        final int offset;

        MalformedUtf8(int offset) {
            super(null, null, false, false);
            this.offset = offset;
        }
    }

    /** An error in the dialect's wire form, as the handlers answer theirs. */
    private static void send(HttpExchange exchange, Dialect dialect, int status, String type, String message)
            throws IOException {
        var body = Json.MAPPER.createObjectNode().put("__type", type).put(dialect.messageField(), message);
        byte[] out = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", dialect.contentType());
        exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
        exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
