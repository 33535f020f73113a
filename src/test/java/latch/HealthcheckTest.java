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
}
