package latch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@code java -jar latch.jar healthcheck}: asks the local server whether it is ready (database writable, keys loaded,
 * schema current), for container healthchecks.
 */
final class Healthcheck {
    private Healthcheck() {}

    /** 0 when the server answers healthy, 1 otherwise. */
    static int run(Map<String, String> env) {
        String port = env.getOrDefault("LATCH_PORT", "8080").trim();
        try {
            var request = HttpRequest.newBuilder(URI.create("http://" + localAddress(env.get("LATCH_HOST")) + ":"
                            + Integer.parseInt(port) + "/api/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build();
            var response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (Exception e) {
            System.err.println("latch healthcheck: " + e.getClass().getSimpleName());
            return 1;
        }
    }

    /** Where the server listens, as seen from inside its own box: a wildcard listen address means loopback. */
    static String localAddress(String host) {
        String h = host == null ? "" : host.trim();
        if (h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]")) {
            return "127.0.0.1";
        }
        return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
    }
}
