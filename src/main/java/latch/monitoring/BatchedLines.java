package latch.monitoring;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Request lines written by one thread, many to a write: a request only hands its finished line over. Written
 * through the logger, each line cost a synchronized date format and a flushed write of its own on the request's
 * thread, 15 to 46% of a forward-auth answer under load. A full queue (the output stalled) makes requests write
 * their line themselves: slower, but no line is dropped.
 */
final class BatchedLines {
    /** slf4j-simple's shape (simplelogger.properties), so request lines read like the rest of the log. */
    static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TO_THE_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * {@link #TEXT_TIME}, with the part up to the second formatted once a second: the writer thread formats every
     * line's time, and on two cores its time is the requests' time.
     */
    static final class TextTime {
        private long second = Long.MIN_VALUE;
        private String upToTheSecond = "";

        void append(StringBuilder out, Instant at) {
            long s = at.getEpochSecond();
            if (s != second) {
                second = s;
                upToTheSecond = TO_THE_SECOND.format(at);
            }
            int millis = at.getNano() / 1_000_000;
            out.append(upToTheSecond).append('.');
            if (millis < 100) {
                out.append('0');
            }
            if (millis < 10) {
                out.append('0');
            }
            out.append(millis).append("+0000");
        }
    }
    private static final int QUEUE = 16_384;
    private static final int BATCH = 1_024;

    /** How a line is written: its time and the line (the prefix and framing are the format's). */
    interface Shape {
        void write(StringBuilder out, Instant at, String line);
    }

    private record Line(long epochMillis, String text) {}

    private final BlockingQueue<Line> queue = new ArrayBlockingQueue<>(QUEUE);
    private final PrintStream out;
    private final Shape shape;

    BatchedLines(PrintStream out, Shape shape, String threadName) {
        this.out = out;
        this.shape = shape;
        var writer = new Thread(this::run, threadName);
        writer.setDaemon(true);
        writer.start();
        // What is still queued when the JVM stops is written, not lost.
        Runtime.getRuntime().addShutdownHook(new Thread(this::drain, threadName + "-drain"));
    }

    void add(Instant at, String line) {
        var l = new Line(at.toEpochMilli(), line);
        if (!queue.offer(l)) {
            var one = new StringBuilder(line.length() + 48);
            shape.write(one, at, line);
            print(one);
        }
    }

    private void run() {
        var batch = new ArrayList<Line>(BATCH);
        var text = new StringBuilder(BATCH * 128);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, BATCH - 1);
            for (Line l : batch) {
                shape.write(text, Instant.ofEpochMilli(l.epochMillis()), l.text());
            }
            print(text);
            batch.clear();
            text.setLength(0);
        }
    }

    private void drain() {
        var rest = new ArrayList<Line>();
        queue.drainTo(rest);
        var text = new StringBuilder();
        for (Line l : rest) {
            shape.write(text, Instant.ofEpochMilli(l.epochMillis()), l.text());
        }
        print(text);
    }

    /** One write of whole lines: the stream's lock keeps another message from landing inside one. */
    private void print(StringBuilder text) {
        if (text.length() == 0) {
            return;
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.flush();
    }
}
