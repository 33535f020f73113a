package latch.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SMTP server (GreenMail) on a free loopback port for the length of a test, and the settings that point
 * Latch at it. Plain SMTP: only a test on one box may send mail unencrypted.
 */
public final class Mailbox implements AutoCloseable {
    private static final Pattern RESET_LINK = Pattern.compile("(https?://\\S+/reset#token=([A-Za-z0-9_-]+))");

    /** One mail as it arrived: to whom, its subject and its decoded text. */
    public record Received(String to, String subject, String text) {
        /** The reset link in the text. */
        public String link() {
            return match().group(1);
        }

        /** The link's one-time token. */
        public String token() {
            return match().group(2);
        }

        private Matcher match() {
            Matcher m = RESET_LINK.matcher(text);
            if (!m.find()) {
                throw new AssertionError("no reset link in: " + text);
            }
            return m;
        }
    }

    private final GreenMail server;
    private final int port;

    private Mailbox(GreenMail server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a server on a free loopback port; close it at the end of the test. */
    public static Mailbox start() {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = TestLatch.freePort();
            var mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            try {
                mail.start();
                return new Mailbox(mail, port);
            } catch (RuntimeException e) {
                last = e; // another process took the port between the choice and the start
            }
        }
        throw last;
    }

    /** SMTP_* settings for a Latch that mails through this server. */
    public Map<String, String> settings() {
        return Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", Integer.toString(port), "SMTP_SECURITY", "none",
                "SMTP_FROM", "latch@example.test");
    }

    /** Waits (up to 15 s) until {@code count} mails in all have arrived, and returns every mail so far. */
    public List<Received> await(int count) {
        if (!server.waitForIncomingEmail(15_000, count)) {
            throw new AssertionError("expected " + count + " mails, got " + server.getReceivedMessages().length);
        }
        return received();
    }

    public List<Received> received() {
        return Arrays.stream(server.getReceivedMessages()).map(Mailbox::read).toList();
    }

    private static Received read(MimeMessage m) {
        try {
            return new Received(m.getAllRecipients()[0].toString(), m.getSubject(), m.getContent().toString());
        } catch (MessagingException | IOException e) {
            throw new AssertionError("unreadable mail", e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
