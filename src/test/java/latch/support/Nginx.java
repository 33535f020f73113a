package latch.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real nginx (Debian's binary) on a free loopback port, with the given {@code server { ... }} contents and, before
 * them, any {@code http}-level lines (an {@code upstream} block). Runs in the foreground of its own prefix
 * directory, logs there, and stops when closed.
 */
public final class Nginx implements AutoCloseable {
    private final Process process;
    private final int port;

    private Nginx(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts nginx; {@code httpLines} go inside {@code http { }}, {@code serverLines} inside its one server. */
    public static Nginx start(Path prefix, String httpLines, String serverLines) throws Exception {
        Files.createDirectories(prefix);
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = TestLatch.freePort();
            Files.writeString(prefix.resolve("nginx.conf"), config(prefix, port, httpLines, serverLines));
            Process p = new ProcessBuilder(binary(), "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(),
                    "-e", prefix.resolve("error.log").toString())
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
            var nginx = new Nginx(p, port);
            try {
                nginx.awaitListening(prefix);
                return nginx;
            } catch (IllegalStateException e) {
                // another process took the port between the choice and the start: choose again
                nginx.close();
                last = e;
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    public Http http() {
        return new Http(port);
    }

    /** Never skipped: what is promised through nginx must have been tried through nginx. */
    public static String binary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        fail("nginx is not installed, so this cannot be tested end to end: install the Debian package nginx-light"
                + " (apt-get install nginx-light; .ci/run does this on fresh machines).");
        return null;
    }

    private static String config(Path prefix, int port, String httpLines, String serverLines) {
        String p = prefix.toString();
        return String.join("\n",
                "daemon off;",
                "master_process off;",
                "worker_processes 1;",
                "pid " + p + "/nginx.pid;",
                "error_log " + p + "/error.log info;",
                "events { worker_connections 256; }",
                "http {",
                "  access_log " + p + "/access.log;",
                "  client_body_temp_path " + p + "/client_body;",
                "  proxy_temp_path " + p + "/proxy;",
                "  fastcgi_temp_path " + p + "/fastcgi;",
                "  uwsgi_temp_path " + p + "/uwsgi;",
                "  scgi_temp_path " + p + "/scgi;",
                httpLines,
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                serverLines,
                "  }",
                "}",
                "");
    }

    private void awaitListening(Path prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = log(prefix);
                if (log.contains("Address already in use")) {
                    throw new IllegalStateException(log);
                }
                fail("nginx exited with " + process.exitValue() + ": " + log);
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        fail("nginx did not listen on port " + port + " within 15 s: " + log(prefix));
    }

    private static String log(Path prefix) throws IOException {
        var out = new StringBuilder();
        for (String name : List.of("stdout.log", "error.log")) {
            Path f = prefix.resolve(name);
            if (Files.exists(f)) {
                out.append(Files.readString(f));
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
