package latch.recovery;

import java.util.Optional;

/** The mail server that self-service password reset sends through; absent when SMTP_HOST is unset. */
public record SmtpSettings(String host, int port, Optional<String> username, Optional<String> password, String from,
                           Security security) {

    public enum Security {
        /** Plain connection upgraded with STARTTLS, which must succeed (port 587). */
        STARTTLS,
        /** TLS from the first byte (port 465). */
        TLS,
        /** No encryption: only for a relay on the same box or a test server. */
        NONE;

        public int defaultPort() {
            return switch (this) {
                case STARTTLS -> 587;
                case TLS -> 465;
                case NONE -> 25;
            };
        }
    }

    @Override
    public String toString() {
        return "SmtpSettings[host=" + host + ", port=" + port + ", security=" + security + "]";
    }
}
