package latch.db;

import latch.config.ServerUrl;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A PostgreSQL server named the way its own tools and the ROM manager's compose files name one:
 * {@code postgres://user:password@host:5432/dbname?sslmode=verify-full}. Parsed once at start; the password never
 * appears in {@link #toString()} or in an error message.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password,
                          Map<String, String> parameters) {
    public static final int DEFAULT_PORT = 5432;
    private static final String FORM = "postgres://user:password@host:5432/dbname";
    /** Query parameters passed to the driver; anything else is a typo the operator should hear about. */
    static final Set<String> PARAMETERS = Set.of("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword",
            "connectTimeout", "socketTimeout", "tcpKeepAlive", "targetServerType", "applicationName", "options");

    public DatabaseUrl {
        parameters = Map.copyOf(parameters);
    }

    /** Empty for SQLite (the variable unset); a parsed server for {@code postgres://} or {@code postgresql://}. */
    public static Optional<DatabaseUrl> parse(String value) throws IllegalArgumentException {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        var server = ServerUrl.parse(value, Set.of("postgres", "postgresql"), FORM,
                "must start with postgres:// (leave it unset for SQLite in LATCH_DATA_DIR)");
        URI uri = server.uri();
        String host = server.host(); // an IPv6 literal unbracketed; jdbcUrl() brackets it again
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        if (database.isEmpty() || database.contains("/")) {
            throw new IllegalArgumentException("names no database: " + FORM);
        }
        String[] credentials = server.userAndPassword(false);
        String user = credentials[0];
        String password = credentials[1];
        if (user.isEmpty()) {
            throw new IllegalArgumentException("names no user: " + FORM);
        }
        var parameters = new LinkedHashMap<String, String>();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                if (!PARAMETERS.contains(name)) {
                    throw new IllegalArgumentException("has the unknown parameter '" + name + "' (known: "
                            + String.join(", ", new java.util.TreeSet<>(PARAMETERS)) + ")");
                }
                parameters.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Optional.of(new DatabaseUrl(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), database, user,
                password, parameters));
    }

    private static String decode(String s) {
        return ServerUrl.decode(s);
    }

    /** The driver's URL, without user or password (those go as properties, so they never end up in a log). */
    public String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** For log lines and errors: where, never the password. */
    public String describe() {
        return "PostgreSQL database " + database + " at " + host + ":" + port + " as " + user;
    }

    @Override
    public String toString() {
        return describe();
    }
}
