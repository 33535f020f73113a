package latch.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A plain HTTP client for tests: no cookie jar, no redirects, so every header a test relies on is explicit. */
public final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;
    private final int port;

    public Http(int port) {
        this.base = "http://localhost:" + port;
        this.port = port;
    }

    public String base() {
        return base;
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    public Response postJson(String path, String json, String... headers) {
        return send("POST", path, "application/json", json, headers);
    }

    public Response patchJson(String path, String json, String... headers) {
        return send("PATCH", path, "application/json", json, headers);
    }

    public Response putJson(String path, String json, String... headers) {
        return send("PUT", path, "application/json", json, headers);
    }

    public Response delete(String path, String... headers) {
        return send("DELETE", path, null, null, headers);
    }

    public Response postForm(String path, String form, String... headers) {
        return send("POST", path, "application/x-www-form-urlencoded", form, headers);
    }

    public Response post(String path, String... headers) {
        return send("POST", path, null, null, headers);
    }

    public Response send(String method, String path, String contentType, String body, String... headers) {
        var request = request(method, path, contentType,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body), headers);
        return new Response(exchange(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** Sends {@code body} as raw bytes, e.g. an image upload. */
    public Response sendBytes(String method, String path, String contentType, byte[] body, String... headers) {
        return new Response(exchange(request(method, path, contentType, HttpRequest.BodyPublishers.ofByteArray(body), headers),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** A GET whose answer is kept as bytes, e.g. an image. */
    public HttpResponse<byte[]> getBytes(String path, String... headers) {
        return exchange(request("GET", path, null, HttpRequest.BodyPublishers.noBody(), headers),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest request(String method, String path, String contentType, HttpRequest.BodyPublisher body,
                                String... headers) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.method(method, body).build();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a request over a plain socket with its header lines exactly as given, a repeated header as repeated
     * lines (the JDK client cannot send those); answers the status and the response's header lines.
     */
    public RawResponse raw(String method, String path, String contentType, String body, String... headerLines) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        var head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(content.length).append("\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        head.append("\r\n");
        try (var socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            List<String> lines = List.of(response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n"));
            return new RawResponse(Integer.parseInt(lines.get(0).split(" ")[1]), lines.subList(1, lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A response read off the socket: its status and header lines ("Name: value"). */
    public record RawResponse(int status, List<String> headerLines) {
        public List<String> headers(String name) {
            return headerLines.stream().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(l -> l.substring(name.length() + 1).trim()).toList();
        }

        public Optional<String> setCookie(String name) {
            return headers("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst();
        }
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    public record Response(HttpResponse<String> raw) {
        public int status() {
            return raw.statusCode();
        }

        public String body() {
            return raw.body();
        }

        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        public List<String> headers(String name) {
            return raw.headers().allValues(name);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        /** The value of a Set-Cookie for {@code name}, or empty. */
        public Optional<String> setCookie(String name) {
            return headers("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst();
        }

        @Override
        public String toString() {
            return raw.statusCode() + " " + raw.body();
        }
    }
}
