package latch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** {@code java -jar latch.jar healthcheck}: asks the local server for its health, for container healthchecks. */
final class Healthcheck {
    private Healthcheck() {}

    /** 0 when the server answers healthy, 1 otherwise. */
    static int run(Map<String, String> env) {
        String port = env.getOrDefault("LATCH_PORT", "8080").trim();
        try {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Integer.parseInt(port) + "/api/health"))
                    .timeout(Duration.ofSeconds(3)).build();
            var response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (Exception e) {
            System.err.println("latch healthcheck: " + e.getClass().getSimpleName());
            return 1;
        }
    }
}
