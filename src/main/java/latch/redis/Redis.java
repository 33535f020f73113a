package latch.redis;

import latch.db.Database;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The Redis (or Valkey) server the nodes share their hot state in: a small pool of connections, each command bounded
 * by the timeout, so a server that is away costs a request at most that long and then a 503 ({@link RedisUnavailable}),
 * never a hang. Keys are Latch's own under {@code latch:}, so the ROM manager's Redis can hold them beside its own.
 */
public final class Redis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Redis.class);
    /** Every key and channel Latch uses starts with this. */
    public static final String PREFIX = "latch:";
    /** Errors a server answers while it cannot serve for a moment (loading its data, a replica, a busy script). */
    private static final Set<String> PASSING = Set.of("LOADING", "READONLY", "MASTERDOWN", "TRYAGAIN", "BUSY", "CLUSTERDOWN");
    private static final int POOL_SIZE = 16;

    private final RedisUrl url;
    private final JedisClientConfig config;
    private final RedisClient client;

    private Redis(RedisUrl url, JedisClientConfig config, RedisClient client) {
        this.url = url;
        this.config = config;
        this.client = client;
    }

    /** A pool for {@code settings}; it connects on first use, so a server that is not up yet does not stop the start. */
    public static Redis connect(RedisSettings settings) {
        RedisUrl url = settings.url().orElseThrow(() -> new IllegalArgumentException("no LATCH_REDIS_URL"));
        int timeout = Math.toIntExact(settings.timeout().toMillis());
        var config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                .database(url.database())
                .clientName("latch")
                // RESP2, without the HELLO handshake: what every Redis and Valkey speaks, and all Latch needs.
                .autoNegotiateProtocol(false);
        if (!url.password().isEmpty()) {
            config.password(url.password());
            if (!url.user().isEmpty()) {
                config.user(url.user());
            }
        }
        if (url.tls()) {
            var parameters = new SSLParameters();
            // Checks the certificate names the host in LATCH_REDIS_URL, as a browser would; without it any certificate
            // the CA signed would do.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            config.ssl(true).sslParameters(parameters);
            settings.caFile().ifPresent(ca -> config.sslSocketFactory(trusting(ca)));
        }
        var pool = new GenericObjectPoolConfig<Connection>();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMinIdle(0);
        pool.setMaxWait(settings.timeout());
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        pool.setJmxEnabled(false);
        JedisClientConfig built = config.build();
        RedisClient client = RedisClient.builder()
                .hostAndPort(new HostAndPort(url.host(), url.port()))
                .clientConfig(built)
                .poolConfig(pool)
                .build();
        return new Redis(url, built, client);
    }

    /** Runs one command (or a script); a server that is away or refuses Latch's password becomes {@link RedisUnavailable}. */
    public <T> T call(String what, Function<UnifiedJedis, T> command) {
        try {
            return command.apply(client);
        } catch (JedisException e) {
            throw failed(what, e);
        }
    }

    /**
     * {@link #translate}, and after a lost connection the idle ones are closed too: they went with the same server (a
     * restart, a cut network), and each would otherwise fail one more request after the server is back.
     */
    public RuntimeException failed(String what, RuntimeException e) {
        if (client.getPool().isClosed()) {
            return new RedisUnavailable(what + ": the connection pool is closed (this node is stopping)", e);
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JedisConnectionException) {
                client.getPool().clear();
                break;
            }
        }
        return translate(what, e);
    }

    /**
     * {@link RedisUnavailable} for an error that says the server cannot answer now; any other error (a wrong script, a
     * key of the wrong type) is a defect and stays what it is.
     */
    static RuntimeException translate(String what, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JedisConnectionException || t instanceof JedisAccessControlException
                    || t instanceof NoSuchElementException) {
                return new RedisUnavailable(what + ": " + describeFailure(t), e);
            }
            if (t instanceof JedisDataException data && data.getMessage() != null
                    && PASSING.contains(data.getMessage().split(" ", 2)[0])) {
                return new RedisUnavailable(what + ": " + data.getMessage(), e);
            }
        }
        return e;
    }

    private static String describeFailure(Throwable t) {
        if (t instanceof JedisAccessControlException) {
            return "the server refused the user or password in LATCH_REDIS_URL";
        }
        if (t instanceof NoSuchElementException) {
            return "no connection came free in time";
        }
        return Database.rootMessage(t);
    }

    /** The pool itself, for Bucket4j's Redis back-end; every other caller goes through {@link #call}. */
    public UnifiedJedis client() {
        return client;
    }

    /** True when the server answers a PING within the timeout: for readiness. */
    public boolean answers() {
        try {
            return "PONG".equalsIgnoreCase(client.ping());
        } catch (JedisException e) {
            failed("ping", e);
            return false;
        }
    }

    /**
     * A channel's full name. Pub/sub channels are not per database, so the number is part of the name: two installs
     * on one server in different databases do not hear each other.
     */
    public String channel(String name) {
        return PREFIX + (url.database() == 0 ? "" : url.database() + ":") + name;
    }

    /** Announces on {@code channel} (a {@link #channel} name); the subscribers of every node hear it. */
    public void publish(String channel) {
        call("publish", c -> c.publish(channel, ""));
    }

    /**
     * A wake-up for {@code channel} that never makes its caller wait: published on {@code executor}, and while one is
     * waiting to go out, further calls add nothing (one wake-up tells the others to read everything new). A Redis
     * that is away costs the background thread the timeout once per outage moment, not each request a round trip.
     */
    public Runnable announcer(String channel, Executor executor) {
        var pending = new AtomicBoolean();
        return () -> {
            if (pending.compareAndSet(false, true)) {
                executor.execute(() -> {
                    // Cleared first: a change committed while this one goes out sends another.
                    pending.set(false);
                    try {
                        publish(channel);
                    } catch (RedisUnavailable e) {
                        log.debug("a change wake-up was not sent; other nodes read the change when they next poll: {}", e.getMessage());
                    }
                });
            }
        };
    }

    /**
     * Runs {@code onNotice} whenever {@code channel} hears something, over a connection of its own, reconnecting
     * while the server is away; and once on every (re)connect, as notices sent meanwhile are lost.
     */
    public AutoCloseable subscribe(String channel, Runnable onNotice) {
        return new RedisNotices(new HostAndPort(url.host(), url.port()), config, channel, onNotice);
    }

    public String describe() {
        return url.describe();
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (RuntimeException e) {
            log.debug("closing the Redis pool: {}", e.toString());
        }
    }

    /** A TLS socket factory that trusts the CA certificates in the PEM file {@code ca} (and nothing else). */
    private static SSLSocketFactory trusting(Path ca) {
        try (InputStream in = Files.newInputStream(ca)) {
            var store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new IllegalArgumentException("LATCH_REDIS_CA_FILE holds no certificate");
            }
            var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            var context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("LATCH_REDIS_CA_FILE cannot be read as PEM certificates: " + e.getMessage(), e);
        }
    }
}
