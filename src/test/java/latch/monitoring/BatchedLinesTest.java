package latch.monitoring;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchedLinesTest {
    @Test
    void theTimeIsWrittenAsTheLoggerWritesIt() {
        var time = new BatchedLines.TextTime();
        for (String iso : new String[] {"2026-11-29T20:00:00.123Z", "2026-11-29T20:00:00.007Z", "2026-11-29T20:00:01.050Z",
                "2026-01-02T03:04:05Z"}) {
            var out = new StringBuilder();
            time.append(out, Instant.parse(iso));
            assertEquals(BatchedLines.TEXT_TIME.format(Instant.parse(iso)), out.toString(), iso);
        }
    }

    @Test
    void everyLineArrivesWholeAndWithItsOwnTimeEvenWhenTheQueueOverflows() throws Exception {
        var bytes = new ByteArrayOutputStream();
        var out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        var lines = new BatchedLines(out, (sb, at, line) -> sb.append(BatchedLines.TEXT_TIME.format(at)).append(' ').append(line)
                .append('\n'), "test-lines");
        Instant t = Instant.parse("2026-11-29T20:00:00.123Z");
        int n = 40_000; // more than the queue holds: some are written by the caller itself
        for (int i = 0; i < n; i++) {
            lines.add(t, "line " + i);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> written;
        do {
            Thread.sleep(20);
            synchronized (out) {
                written = bytes.toString(StandardCharsets.UTF_8).lines().toList();
            }
        } while (written.size() < n && System.nanoTime() < deadline);
        assertEquals(n, written.size(), "no line is dropped");
        for (String w : written) {
            assertTrue(w.matches("2026-11-29T20:00:00\\.123\\+0000 line \\d+"), w); // whole, never interleaved
        }
        assertEquals(n, written.stream().distinct().count());
    }
}
