package latch.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Connections to a PostgreSQL server through HikariCP, which replaces connections the server or the network
 * dropped and waits for the server at start (a compose file may start Latch first).
 */
final class PostgresPool implements ConnectionPool {
    private final HikariDataSource pool;
    private final int size;
    private final DatabaseUrl url;

    PostgresPool(DatabaseUrl url, int size, long connectTimeoutMs, long startWaitMs) {
        var config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        url.parameters().forEach(config::addDataSourceProperty);
        // Strings go to the server untyped, so a CITEXT column compares them case-insensitively as SQLite's NOCASE
        // does; typed as varchar they would turn username = ? into a case-sensitive text comparison.
        config.addDataSourceProperty("stringtype", "unspecified");
        config.addDataSourceProperty("ApplicationName", url.parameters().getOrDefault("applicationName", "latch"));
        config.setPoolName("latch-db");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setConnectionTimeout(connectTimeoutMs);
        config.setValidationTimeout(Math.min(connectTimeoutMs, 2000));
        // Hikari tries to connect until then; at least one try, so a server that is there is found at once.
        config.setInitializationFailTimeout(Math.max(1, startWaitMs));
        // A read that hangs on a half-open connection must fail, not hold a request thread for ever.
        config.addDataSourceProperty("socketTimeout", url.parameters().getOrDefault("socketTimeout", "30"));
        config.addDataSourceProperty("connectTimeout", url.parameters().getOrDefault("connectTimeout", "5"));
        this.pool = new HikariDataSource(config);
        this.size = size;
        this.url = url;
    }

    @Override
    public Connection take(long timeoutMs) throws SQLException {
        // Hikari waits its own connection timeout and throws, naming the cause (a full pool or a server away).
        return pool.getConnection();
    }

    @Override
    public Connection dedicated() throws SQLException {
        var props = new java.util.Properties();
        props.putAll(url.parameters());
        props.setProperty("user", url.user());
        props.setProperty("password", url.password());
        props.setProperty("ApplicationName", "latch-listen");
        // getNotifications waits on the socket itself; no socket timeout may cut that wait short.
        props.setProperty("socketTimeout", "0");
        return new org.postgresql.Driver().connect(url.jdbcUrl(), props);
    }

    @Override
    public void give(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool evicts a connection it cannot reset
        }
    }

    @Override
    public Optional<DataSource> dataSource() {
        return Optional.of(pool);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void close() {
        pool.close();
    }
}
