import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection to one Latch node, one request at a time. Plain sockets, not the JDK's HTTP
 * client: on two shared cores the JDK client spent as much CPU per request as Latch did (BENCHMARKS.md, N2), which
 * would halve the figures it is meant to measure. Enough HTTP for Latch's answers: Content-Length or chunked bodies,
 * and a reconnect when the server closes.
 */
final class LoopbackHttp implements Closeable {
    record Answer(int status, String body) {}

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    LoopbackHttp(String base) {
        var hostPort = base.replaceFirst("^http://", "").replaceFirst("/.*$", "");
        int colon = hostPort.lastIndexOf(':');
        this.host = hostPort.substring(0, colon);
        this.port = Integer.parseInt(hostPort.substring(colon + 1));
    }

    Answer get(String path, String... headers) throws IOException {
        return send("GET", path, null, headers);
    }

    Answer post(String path, String json, String... headers) throws IOException {
        return send("POST", path, json, headers);
    }

    /** headers: "Name: value" lines. A connection the server closed between requests is opened again once. */
    private Answer send(String method, String path, String json, String... headers) throws IOException {
        var head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append(':').append(port).append("\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        if (json != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] request = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        boolean fresh = socket == null;
        try {
            return exchange(request, body);
        } catch (IOException stale) {
            close();
            if (fresh) {
                throw stale;
            }
            return exchange(request, body);
        }
    }

    private Answer exchange(byte[] request, byte[] body) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
        }
        out.write(request);
        out.write(body);
        out.flush();
        String status = line();
        if (status.length() < 12 || !status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closing = true;
            }
        }
        var content = new ByteArrayOutputStream();
        if (chunked) {
            for (long n = chunk(); n > 0; n = chunk()) {
                copy(n, content);
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers are not used
            }
        } else if (length > 0) {
            copy(length, content);
        } else if (length < 0 && code != 204 && code != 304) {
            closing = true;
            in.transferTo(content);
        }
        if (closing) {
            close();
        }
        return new Answer(code, content.toString(StandardCharsets.UTF_8));
    }

    private long chunk() throws IOException {
        String size = line();
        int semi = size.indexOf(';');
        return Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
    }

    private void copy(long n, OutputStream to) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(n, buf.length));
            if (r < 0) {
                throw new EOFException("the answer ended early");
            }
            to.write(buf, 0, r);
            n -= r;
        }
    }

    private String line() throws IOException {
        var sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** The value of "name":"..." in a flat JSON answer, or null. */
    static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a loopback socket we are done with
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
