package latch.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server for the tests: Debian's {@code redis-server} on a loopback port, with a password, started once
 * per test JVM and stopped when it exits (nothing written to disk). When the system property {@code latch.test.redis}
 * is {@code true} (the pom's PostgreSQL run sets it) every data directory gets a Redis database of its own beside its
 * PostgreSQL database, the same one each time it is named, as nodes of one install share one.
 */
public final class RedisServer {
    public static final String PROPERTY = "latch.test.redis";
    public static final String PASSWORD = "latch-test-redis-password";
    /** A test JVM names a few hundred data directories; numbers are handed out in turn and reused, flushed, after this. */
    private static final int DATABASES = 4096;

    private static RedisServer running;

    private final Process process;
    private final Path dir;
    private final int port;
    private final Map<Path, Integer> databases = new HashMap<>();
    private int next = 1;

    private RedisServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** True when this test run keeps the shared state in Redis. */
    public static boolean selected() {
        return PostgresServer.selected() && "true".equals(System.getProperty(PROPERTY));
    }

    /** The server, started on first use. */
    public static synchronized RedisServer get() {
        if (running == null) {
            running = start();
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "redis-stop"));
        }
        return running;
    }

    /** A {@code redis://} URL to the database that belongs to {@code dataDir}, emptied when first handed out. */
    public synchronized String urlFor(Path dataDir) {
        Path key = dataDir.toAbsolutePath().normalize();
        Integer db = databases.get(key);
        if (db == null) {
            db = next;
            next = next % (DATABASES - 1) + 1;
            databases.values().remove(db);
            databases.put(key, db);
            cli("-n", Integer.toString(db), "FLUSHDB");
        }
        return url(port, db);
    }

    /** A client of Latch's own for the data directory's Redis database, as a node would open it. */
    public latch.redis.Redis connect(Path dataDir) {
        return latch.redis.Redis.connect(new latch.redis.RedisSettings(latch.redis.RedisUrl.parse(urlFor(dataDir)),
                java.time.Duration.ofSeconds(2), java.util.Optional.empty()));
    }

    /** Runs one redis-cli command in the data directory's Redis database. */
    public String cliIn(Path dataDir, String... command) {
        var args = new java.util.ArrayList<>(List.of("-n", Integer.toString(latch.redis.RedisUrl.parse(urlFor(dataDir)).orElseThrow().database())));
        args.addAll(List.of(command));
        return cli(args.toArray(String[]::new));
    }

    /** A URL to database {@code db} of a server on {@code port} with the test password (e.g. through a relay). */
    public static String url(int port, int db) {
        return "redis://:" + PASSWORD + "@127.0.0.1:" + port + "/" + db;
    }

    public int port() {
        return port;
    }

    /** Runs one redis-cli command against this server, returning what it printed. */
    public String cli(String... command) {
        var full = new java.util.ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "--no-auth-warning", "-a", PASSWORD));
        full.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("redis-cli " + String.join(" ", command) + " failed: " + out);
            }
            return out.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static RedisServer start() {
        try {
            Path dir = Files.createTempDirectory("latch-redis-");
            int port = TestLatch.freePort();
            Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--requirepass", PASSWORD, "--databases", Integer.toString(DATABASES), "--save", "", "--appendonly", "no",
                    "--dir", dir.toString(), "--daemonize", "no", "--loglevel", "warning")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
            var server = new RedisServer(process, dir, port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try {
                    if ("PONG".equals(server.cli("PING"))) {
                        return server;
                    }
                } catch (IllegalStateException notYet) {
                    // still starting
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server did not start (apt-get install redis-server; .ci/run does): "
                            + Files.readString(dir.resolve("log")));
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server (apt-get install redis-server; .ci/run does)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void stop() {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
        try {
            new ProcessBuilder("rm", "-rf", dir.toString()).start();
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
