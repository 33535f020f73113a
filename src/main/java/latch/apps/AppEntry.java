package latch.apps;

import java.time.Instant;

/**
 * An app in the launcher. Its icon is a built-in {@code symbol} or, when that is null, an uploaded image of type
 * {@code iconType} whose bytes are fetched separately ({@link IconImage}) and whose ETag is {@code iconHash}.
 * {@code requiredScope} is null when everyone signed in may see it; {@code position} is its place in the launcher,
 * 1 for the first.
 */
public record AppEntry(long id, String name, String url, String symbol, String iconType, String iconHash,
                       String requiredScope, long position, Instant createdAt, Instant updatedAt) {

    public boolean hasImage() {
        return symbol == null;
    }
}
