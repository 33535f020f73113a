package latch.monitoring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.time.format.DateTimeFormatter;

/**
 * LOG_FORMAT=text: through the logger, like every other message (slf4j-simple adds the time and level). json: each
 * line a JSON object on standard output, written whole, with its time and level inside it, so a log shipper reads it
 * without a pattern; other messages stay on standard error.
 */
final class StandardLogSink {
    private StandardLogSink() {}

    static LogSink of(LogFormat format, Clock clock) {
        if (format == LogFormat.TEXT) {
            Logger log = LoggerFactory.getLogger("latch.requests");
            return new LogSink() {
                @Override public boolean infoEnabled() { return log.isInfoEnabled(); }
                @Override public void info(String line) { log.info(line); }
                @Override public void warn(String line) { log.warn(line); }
            };
        }
        PrintStream out = System.out;
        return new LogSink() {
            @Override public boolean infoEnabled() { return true; }
            @Override public void info(String line) { print("INFO", line); }
            @Override public void warn(String line) { print("WARN", line); }

            /** {@code line} is a JSON object: the time and level are put in front of its first member. */
            private void print(String level, String line) {
                out.println("{\"time\":\"" + DateTimeFormatter.ISO_INSTANT.format(clock.instant()) + "\",\"level\":\""
                        + level + "\"," + line.substring(1));
            }
        };
    }
}
