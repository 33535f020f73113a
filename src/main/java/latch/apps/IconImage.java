package latch.apps;

import latch.http.ApiError;
import latch.http.ETags;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An uploaded icon: its bytes, the type its own first bytes show, and an ETag. Only raster formats are taken. SVG is
 * refused: it has no magic number to check it by, checking it would mean an XML parser on uploaded input (external
 * entities, entity expansion), and a served SVG opened as a page is a document of Latch's origin that can carry
 * script. App logos come as PNG or WebP too, and the built-in symbols cover the drawn ones.
 */
public record IconImage(String type, byte[] bytes, String etag) {
    public static final int MAX_BYTES = 64 * 1024;

    /** The raster formats taken, by their signatures (PNG spec §5.2, JPEG SOI, GIF87a/89a, RIFF WEBP). */
    private enum Format {
        PNG("image/png", "png"), JPEG("image/jpeg", "jpg"), GIF("image/gif", "gif"), WEBP("image/webp", "webp");

        final String type;
        final String extension;

        Format(String type, String extension) {
            this.type = type;
            this.extension = extension;
        }
    }

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final List<byte[]> GIF = List.of(ascii("GIF87a"), ascii("GIF89a"));

    /** The body of an upload as an icon: 413 over {@link #MAX_BYTES}, 415 unless its bytes are one of the formats. */
    public static IconImage of(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(bytes.length);
        }
        if (bytes.length == 0) {
            throw ApiError.badRequest("invalid_icon", "Send the image as the request body.");
        }
        Format format = formatOf(bytes).orElseThrow(() -> new ApiError(415, "unsupported_icon_type",
                "An icon must be a PNG, JPEG, GIF or WebP image (checked by its content, not its name); SVG is not taken."));
        return new IconImage(format.type, bytes, ETags.of(bytes));
    }

    /** The refusal of an image of {@code size} bytes, more than {@link #MAX_BYTES}. */
    public static ApiError tooLarge(long size) {
        return new ApiError(413, "icon_too_large", "An icon may be at most 64 KiB; this one is "
                + (size + 1023) / 1024 + " KiB. Shrink it to 128 by 128 pixels or so.");
    }

    /** A file name extension for the type, for the name a saved copy gets. */
    public String extension() {
        for (Format f : Format.values()) {
            if (f.type.equals(type)) {
                return f.extension;
            }
        }
        return "img";
    }

    private static Optional<Format> formatOf(byte[] b) {
        if (startsWith(b, PNG, 0)) {
            return Optional.of(Format.PNG);
        }
        if (startsWith(b, JPEG, 0)) {
            return Optional.of(Format.JPEG);
        }
        if (GIF.stream().anyMatch(g -> startsWith(b, g, 0))) {
            return Optional.of(Format.GIF);
        }
        if (startsWith(b, ascii("RIFF"), 0) && startsWith(b, ascii("WEBP"), 8)) {
            return Optional.of(Format.WEBP);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix, int at) {
        return bytes.length >= at + prefix.length && Arrays.equals(bytes, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
