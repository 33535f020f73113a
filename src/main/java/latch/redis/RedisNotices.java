package latch.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;

/**
 * One subscription, on a connection of its own (a subscribed connection can do nothing else), kept open by a
 * thread: a lost connection is logged once and opened again every few seconds. Whoever relies on this also polls,
 * so a notice missed while reconnecting is late, never lost.
 */
final class RedisNotices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisNotices.class);
    private static final long RETRY_MS = 3000;

    private final HostAndPort server;
    private final JedisClientConfig config;
    private final String channel;
    private final Runnable onNotice;
    private final Thread thread;
    private volatile JedisPubSub listener;
    private volatile boolean closed;
    private volatile Jedis current;

    RedisNotices(HostAndPort server, JedisClientConfig config, String channel, Runnable onNotice) {
        this.server = server;
        this.config = config;
        this.channel = channel;
        this.onNotice = onNotice;
        this.thread = new Thread(this::run, "latch-redis-notices");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        boolean down = false;
        while (!closed) {
            try (Jedis jedis = new Jedis(server, config)) {
                current = jedis;
                var subscription = listener();
                listener = subscription;
                if (down) {
                    log.info("hearing of changes from other nodes through Redis again");
                    down = false;
                }
                jedis.subscribe(subscription, channel); // returns when unsubscribed, throws when the connection is lost
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!down) {
                    log.warn("not subscribed to Redis for changes from other nodes ({}); they still arrive by polling",
                            Redis.translate("subscribe", e).getMessage());
                    down = true;
                }
            }
            try {
                Thread.sleep(RETRY_MS);
            } catch (InterruptedException interrupted) {
                return;
            }
        }
    }

    private JedisPubSub listener() {
        return new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                onNotice.run();
            }

            @Override
            public void onSubscribe(String channel, int subscribedChannels) {
                // Whatever happened while not subscribed is found by the poll this triggers.
                onNotice.run();
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        try {
            JedisPubSub subscription = listener;
            if (subscription != null && subscription.isSubscribed()) {
                subscription.unsubscribe();
            }
        } catch (RuntimeException ignored) {
            // the connection is going anyway
        }
        Jedis jedis = current;
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // closing at shutdown
            }
        }
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
