package latch.metrics;

import java.io.IOException;
import java.io.OutputStream;

/** The collected metrics, written in a format a scraper reads. */
public interface Exposition {
    String contentType();

    void write(OutputStream out) throws IOException;
}
