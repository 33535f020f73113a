package latch.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary directory, listening on a
 * loopback port, started once per test JVM and removed when it exits. Durability is turned off (fsync), which
 * changes nothing Latch can observe and makes creating a database per test cheap.
 *
 * <p>The suite runs against it when the system property {@code latch.test.database} is {@code postgres} (the pom's
 * second test run sets it); every data directory then gets a database of its own, the same one each time it is
 * named, so two instances a test starts on one data directory share one database as they would share one file.
 */
public final class PostgresServer {
    public static final String PROPERTY = "latch.test.database";
    private static final String USER = "latch";
    private static final String PASSWORD = "latch-test-password";

    /** Migrated once; each test's database is a copy of it, which is quicker than migrating each. */
    private static final String TEMPLATE = "latch_template";

    private static PostgresServer running;

    private final Path dir;
    private final int port;
    /** The owner's connection to the maintenance database, kept for creating databases; guarded by this. */
    private java.sql.Connection admin;
    private boolean templateReady;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** True when this test run plays the suite against PostgreSQL. */
    public static boolean selected() {
        return "postgres".equals(System.getProperty(PROPERTY));
    }

    /** The server, started on first use. */
    public static synchronized PostgresServer get() {
        if (running == null) {
            running = start();
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "postgres-stop"));
        }
        return running;
    }

    /**
     * A {@code postgres://} URL to the database that belongs to {@code dataDir}, created if it does not exist yet as
     * a copy of a database Latch migrated once (PostgresDatabaseTest migrates empty ones).
     */
    public synchronized String urlFor(Path dataDir) {
        String name = "t_" + digest(dataDir.toAbsolutePath().normalize().toString()).substring(0, 24);
        if (!templateReady) {
            createDatabase(TEMPLATE);
            try (var db = latch.db.Database.postgres(latch.db.DatabaseUrl.parse(url(TEMPLATE)).orElseThrow(), 1,
                    java.time.Duration.ofSeconds(10))) {
                latch.db.Migrations.apply(db);
            }
            templateReady = true;
        }
        create(name, " TEMPLATE " + TEMPLATE);
        return url(name);
    }

    /** A URL to a fresh database with the given name (a test that needs one by name, e.g. a migration target). */
    public String url(String database) {
        return "postgres://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** An empty database called {@code name}, if there is none yet. */
    public synchronized void createDatabase(String name) {
        create(name, "");
    }

    private void create(String name, String template) {
        try {
            if (admin == null || admin.isClosed()) {
                admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, PASSWORD);
            }
            try (var st = admin.createStatement()) {
                try (var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                    if (rs.next()) {
                        return;
                    }
                }
                st.execute("CREATE DATABASE " + name + template);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test database " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs one SQL statement as the cluster's owner in {@code database} (e.g. to break or inspect it in a test). */
    public void execute(String database, String sql) {
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, USER, PASSWORD);
             var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static PostgresServer start() {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException(
                "no PostgreSQL server binaries under /usr/lib/postgresql: apt-get install postgresql (.ci/run does)"));
        try {
            Path dir = Files.createTempDirectory("latch-pg-");
            Path data = dir.resolve("data");
            Path pwfile = dir.resolve("pw");
            Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                // PostgreSQL refuses to run as root; Debian's package made the postgres user for it.
                run(List.of("chown", "-R", "postgres", dir.toString()), root);
            }
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
                    "-A", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"), root);
            int port = TestLatch.freePort();
            String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                    + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
                    + " -c shared_buffers=32MB";
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                    "-o", options, "-w", "-t", "60", "start"), root);
            return new PostgresServer(dir, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An immediate shutdown (SIGQUIT to the postmaster, what {@code pg_ctl -m immediate} sends): the cluster is thrown
     * away, so nothing needs to be written, and a JVM on its way out must not wait for sessions to end.
     */
    private void stop() {
        try {
            String pid = Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).strip();
            new ProcessBuilder("kill", "-QUIT", pid).start().waitFor(5, TimeUnit.SECONDS);
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> p.onExit().completeOnTimeout(p, 5, TimeUnit.SECONDS).join());
        } catch (Exception e) {
            // the JVM is exiting; the directory goes below either way
        }
        try {
            // A run leaves hundreds of databases (a few MB each); removing them one file at a time from a JVM on its
            // way out kept the fork alive past Surefire's 30 s. rm does it after the JVM is gone.
            new ProcessBuilder("rm", "-rf", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    private static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void run(List<String> command, boolean asPostgres) {
        var full = new ArrayList<String>();
        if (asPostgres && !command.get(0).equals("chown")) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 in hex: a stable name or key from a path. */
    static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
