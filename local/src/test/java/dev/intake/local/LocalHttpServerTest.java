package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local API server as a careless or hostile client meets it: raw sockets that stall, a busy
 * port, bytes that are not UTF-8, operations that do not exist.
 */
class LocalHttpServerTest {
    private static LocalFixture aws;
    private static LocalHttpServer server;
    private static URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        aws = new LocalFixture();
        server = new LocalHttpServer(aws.services(1 << 20), 0);
        endpoint = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        aws.close();
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /** A connection that has sent these bytes and then stalls. */
    private Socket stalled(String sent) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        sockets.add(socket);
        socket.getOutputStream().write(sent.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    /** True while the server has neither answered on nor closed the connection. */
    private static boolean stillOpen(Socket socket) throws IOException {
        socket.setSoTimeout(20);
        try {
            socket.getInputStream().read(); // an answer or the end of the stream
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false; // reset by the server
        }
    }

    private HttpResponse<String> post(String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.parse(response.body());
    }

    @Test
    void clientsThatStallDoNotHoldUpOthers() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stalled.add(stalled("POST /intake/ListDatasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le"));
            stalled.add(stalled("POST /intake/ListDatasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"maxRes"));
        }
        Thread.sleep(300); // the server has taken up every stalled request

        HttpResponse<String> normal = post("/intake/ListDatasets", "{}");

        assertThat(normal.statusCode()).isEqualTo(200);
        assertThat(json(normal).has("datasets")).isTrue();
        for (Socket socket : stalled) {
            assertThat(stillOpen(socket)).as("answered while the stalled clients are still connected").isTrue();
        }
    }

    @Test
    void aClientThatStallsMidBodyIsDroppedAfterTheReadTimeout() throws Exception {
        Socket midBody = stalled("POST /intake/ListDatasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"max");
        Socket midHeaders = stalled("POST /intake/ListDatasets HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        long bound = (LocalHttpServer.REQUEST_TIMEOUT_SECONDS + 30) * 1000L;
        for (Socket socket : List.of(midBody, midHeaders)) {
            socket.setSoTimeout((int) bound);
            InputStream in = socket.getInputStream();
            byte[] answer;
            try {
                answer = in.readAllBytes();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server still holds a stalled request after " + bound + " ms", e);
            } catch (IOException reset) {
                answer = new byte[0];
            }
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).as("dropped, not served").doesNotContain("200");
        }
    }

    @Test
    void aBusyPortIsNamedInOneLine() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            assertThatThrownBy(() -> new LocalHttpServer(aws.services(1 << 20), port))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessage("port " + port + " on 127.0.0.1 is already in use");

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.run(new String[] {"local", "--in-memory", "--port", String.valueOf(port), "--s3-port", "0"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(status).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("intake: port " + port
                    + " on 127.0.0.1 is already in use; stop what uses it or pass --port N" + System.lineSeparator());
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        }
    }

    @Test
    void aBusyS3PortIsNamedWithItsOwnOption() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.run(new String[] {"local", "--in-memory", "--port", "0", "--s3-port", String.valueOf(port)},
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(status).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("intake: port " + port
                    + " on 127.0.0.1 is already in use; stop what uses it or pass --s3-port N" + System.lineSeparator());
        }
    }

    @Test
    void bytesThatAreNotUtf8AreASerializationError() throws Exception {
        byte[] prefix = "{\"name\": \"caf".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\", \"schema\": \"{}\", \"keyFields\": [\"ID\"]}".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(prefix);
        body.write(new byte[] {(byte) 0xC3, (byte) 0x28}); // a lead byte followed by '(' is no character
        body.write(suffix);

        HttpResponse<String> refused = post("/intake/CreateDataset", Map.of("Content-Type", "application/x-amz-json-1.1"),
                body.toByteArray());

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("x-amzn-ErrorType")).contains("SerializationException");
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/x-amz-json-1.1");
        assertThat(json(refused).get("__type").asText()).isEqualTo("SerializationException");
        assertThat(json(refused).get("message").asText()).isEqualTo("The request body is not valid UTF-8 (at byte offset 13)");

        // The same request in valid UTF-8 reaches the model check with its text intact.
        HttpResponse<String> valid = post("/intake/CreateDataset", "{\"name\": \"café\", \"schema\": \"{}\", \"keyFields\": [\"ID\"]}");
        assertThat(valid.statusCode()).isEqualTo(400);
        assertThat(json(valid).get("__type").asText()).isEqualTo("InvalidInputException");
        assertThat(json(valid).get("message").asText()).contains("'café'");
    }

    @Test
    void operationsThatDoNotExistAreUnknownOperations() throws Exception {
        HttpResponse<String> wrongPath = post("/personalize/DeleteEverything", "{}");
        assertThat(wrongPath.statusCode()).isEqualTo(400);
        assertThat(wrongPath.headers().firstValue("x-amzn-ErrorType")).contains("UnknownOperationException");
        assertThat(json(wrongPath).get("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(json(wrongPath).get("message").asText()).isEqualTo("Intake has no operation POST /personalize/DeleteEverything");

        HttpResponse<String> wrongTarget = post("/", Map.of("X-Amz-Target", "AmazonPersonalize.DeleteEverything",
                "Content-Type", "application/x-amz-json-1.1"), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(wrongTarget.statusCode()).isEqualTo(400);
        assertThat(json(wrongTarget).get("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(json(wrongTarget).get("message").asText()).isEqualTo("Intake has no operation AmazonPersonalize.DeleteEverything");

        HttpResponse<String> noTarget = post("/", Map.of("Content-Type", "application/x-amz-json-1.1"),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(noTarget.statusCode()).isEqualTo(400);
        assertThat(json(noTarget).get("__type").asText()).isEqualTo("UnknownOperationException");

        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(endpoint.resolve("/intake/ListDatasets"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(400);
        assertThat(json(wrongMethod).get("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(json(wrongMethod).get("message").asText()).isEqualTo("Intake has no operation GET /intake/ListDatasets"
                + " (its operations are POST)");

        HttpResponse<String> noApi = post("/favicon.ico", "{}");
        assertThat(noApi.statusCode()).as("not an API path at all").isEqualTo(404);
        assertThat(json(noApi).get("__type").asText()).isEqualTo("NotFoundException");
    }
}
