package latch;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HealthcheckTest {
    @TempDir
    Path dir;

    @Test
    void theHealthcheckCommandSucceedsAgainstARunningServer() {
        TestLatch.run(dir, latch -> {
            String port = latch.http().base().substring(latch.http().base().lastIndexOf(':') + 1);
            assertEquals(0, Healthcheck.run(Map.of("LATCH_PORT", port)));
        });
    }

    @Test
    void theHealthcheckCommandFailsWhenNothingListens() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertEquals(1, Healthcheck.run(Map.of("LATCH_PORT", Integer.toString(port))));
    }

    @Test
    void theHealthcheckAsksWhereTheServerListens() {
        assertEquals("127.0.0.1", Healthcheck.localAddress(null));
        assertEquals("127.0.0.1", Healthcheck.localAddress("0.0.0.0"));
        assertEquals("127.0.0.1", Healthcheck.localAddress("::"));
        assertEquals("192.168.1.5", Healthcheck.localAddress("192.168.1.5"));
        assertEquals("[::1]", Healthcheck.localAddress("::1"));
        TestLatch.run(dir, latch -> {
            String port = latch.http().base().substring(latch.http().base().lastIndexOf(':') + 1);
            assertEquals(0, Healthcheck.run(Map.of("LATCH_PORT", port, "LATCH_HOST", "127.0.0.1")));
        });
    }
}
