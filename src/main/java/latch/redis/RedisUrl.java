package latch.redis;

import latch.config.ServerUrl;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * A Redis (or Valkey) server named the way redis-cli and the ROM manager's compose files name one:
 * {@code redis://[user:password@]host:6379[/db]}, {@code rediss://} for TLS. Parsed once at start; the password never
 * appears in {@link #toString()} or in an error message.
 */
public record RedisUrl(String host, int port, boolean tls, String user, String password, int database) {
    public static final int DEFAULT_PORT = 6379;
    private static final String FORM = "redis://[user:password@]host:6379[/db] or rediss:// for TLS";

    /** Empty when unset (PostgreSQL alone carries the shared state); a parsed server otherwise. */
    public static Optional<RedisUrl> parse(String value) throws IllegalArgumentException {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        var server = ServerUrl.parse(value, Set.of("redis", "rediss"), FORM, "must start with redis:// or rediss:// (" + FORM + ")");
        URI uri = server.uri();
        String scheme = server.scheme();
        String host = server.host();
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("takes no ?parameters: " + FORM);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int database = 0;
        if (!path.isEmpty() && !path.equals("/")) {
            try {
                if (!path.substring(1).matches("[0-9]{1,9}")) {
                    throw new NumberFormatException();
                }
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("names the database by its number (/0 to /15 on a default server): " + FORM);
            }
            if (database < 0) {
                throw new IllegalArgumentException("names a negative database number");
            }
        }
        String[] credentials = server.userAndPassword(true);
        String user = credentials[0];
        String password = credentials[1];
        return Optional.of(new RedisUrl(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), scheme.equals("rediss"),
                user, password, database));
    }

    /** For log lines and errors: where, never the password. */
    public String describe() {
        return "Redis at " + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + (database == 0 ? "" : "/" + database) + (tls ? " over TLS" : "")
                + (user.isEmpty() ? "" : " as " + user);
    }

    @Override
    public String toString() {
        return describe();
    }
}
