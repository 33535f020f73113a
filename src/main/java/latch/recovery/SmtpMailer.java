package latch.recovery;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * Mail through the operator's SMTP server (Eclipse Angus Mail). With {@code starttls} the upgrade is required, not
 * tried: a server that does not offer it gets no mail, rather than a reset link in clear text. The server's
 * certificate must name its host. Every network step has a timeout, so a stalled server holds one mail thread for
 * at most that long.
 */
public final class SmtpMailer implements Mailer {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final SmtpSettings smtp;
    private final Session session;
    private final Clock clock;

    public SmtpMailer(SmtpSettings smtp, Clock clock) {
        this.smtp = smtp;
        this.clock = clock;
        this.session = Session.getInstance(properties(smtp), authenticator(smtp));
    }

    static Properties properties(SmtpSettings smtp) {
        var p = new Properties();
        String timeout = Long.toString(TIMEOUT.toMillis());
        p.setProperty("mail.transport.protocol", "smtp");
        p.setProperty("mail.smtp.host", smtp.host());
        p.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
        p.setProperty("mail.smtp.from", smtp.from());
        p.setProperty("mail.smtp.connectiontimeout", timeout);
        p.setProperty("mail.smtp.timeout", timeout);
        p.setProperty("mail.smtp.writetimeout", timeout);
        switch (smtp.security()) {
            case STARTTLS -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "true");
                p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            }
            case TLS -> {
                p.setProperty("mail.smtp.ssl.enable", "true");
                p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            }
            case NONE -> { }
        }
        if (smtp.username().isPresent()) {
            p.setProperty("mail.smtp.auth", "true");
        }
        return p;
    }

    private static Authenticator authenticator(SmtpSettings smtp) {
        if (smtp.username().isEmpty()) {
            return null;
        }
        var credentials = new PasswordAuthentication(smtp.username().get(), smtp.password().orElse(""));
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return credentials;
            }
        };
    }

    @Override
    public void send(Mail mail) {
        try {
            var message = new MimeMessage(session);
            message.setFrom(new InternetAddress(smtp.from(), true));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
            message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
            message.setText(mail.text(), StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(clock.instant()));
            Transport.send(message);
        } catch (MessagingException | RuntimeException e) {
            // The type says what went wrong (connect, TLS, authentication, refusal); the message could quote the mail.
            throw new MailFailed("the SMTP server " + smtp.host() + ":" + smtp.port() + " did not take the mail ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
