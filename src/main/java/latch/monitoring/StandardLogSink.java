package latch.monitoring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.time.format.DateTimeFormatter;

/**
 * LOG_FORMAT=text: request lines in the logger's shape on standard error, beside every other message, written in
 * batches off the request's thread ({@link BatchedLines}); a failed sign-in goes through the logger itself. json:
 * each line a JSON object on standard output, written whole, with its time and level inside it, so a log shipper
 * reads it without a pattern; other messages stay on standard error.
 */
final class StandardLogSink {
    private StandardLogSink() {}

    static LogSink of(LogFormat format, Clock clock) {
        if (format == LogFormat.TEXT) {
            Logger log = LoggerFactory.getLogger("latch.requests");
            var time = new BatchedLines.TextTime(); // used by the writer thread only
            var lines = new BatchedLines(System.err, (out, at, line) -> {
                time.append(out, at);
                out.append(" [INFO] requests - ").append(line).append('\n');
            }, "latch-request-log");
            return new LogSink() {
                @Override public boolean infoEnabled() { return log.isInfoEnabled(); }
                @Override public void info(String line) { lines.add(clock.instant(), line); }
                @Override public void warn(String line) { log.warn(line); }
            };
        }
        // {@code line} is a JSON object: the time and level are put in front of its first member.
        var lines = new BatchedLines(System.out, (out, at, line) -> json(out, at, "INFO", line), "latch-request-log");
        PrintStream out = System.out;
        return new LogSink() {
            @Override public boolean infoEnabled() { return true; }
            @Override public void info(String line) { lines.add(clock.instant(), line); }
            @Override public void warn(String line) {
                var one = new StringBuilder();
                json(one, clock.instant(), "WARN", line);
                out.print(one);
                out.flush();
            }
        };
    }

    private static void json(StringBuilder out, java.time.Instant at, String level, String line) {
        out.append("{\"time\":\"").append(DateTimeFormatter.ISO_INSTANT.format(at)).append("\",\"level\":\"").append(level)
                .append("\",").append(line, 1, line.length()).append('\n');
    }
}
