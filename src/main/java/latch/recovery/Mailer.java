package latch.recovery;

/** Sends one plain-text mail; SMTP in production ({@link SmtpMailer}). Throws {@link MailFailed} when it cannot. */
public interface Mailer {
    record Mail(String to, String subject, String text) {
        @Override
        public String toString() {
            return "Mail[subject=" + subject + "]"; // never the text: it carries a link
        }
    }

    void send(Mail mail);

    /** The mail did not go out; the message names the server and the kind of failure, never the mail or a secret. */
    final class MailFailed extends RuntimeException {
        public MailFailed(String message) {
            super(message, null, false, false);
        }
    }
}
