package latch.federation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Latch's requests to other instances: GET only, no redirects followed, no proxy, a connect timeout, a deadline for
 * the whole answer (a peer dripping one byte a second cannot hold a thread), and a size cap enforced while reading,
 * so a huge answer costs at most the cap in memory. A failure is one sentence for the admin page and the log.
 */
final class BoundedFetch {
    /** The outcome of a fetch that did not give a complete 200 answer within the limits. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message, null, false, false);
        }
    }

    record Answer(byte[] body, HttpHeaders headers) {}

    private static final class TooLarge extends IOException {
        TooLarge() {
            super(null, null);
        }
    }

    /** Made on the first request: most instances never federate, and the command line never asks anyone. */
    private volatile HttpClient client;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    BoundedFetch(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = HttpClient.newBuilder()
                            .connectTimeout(connectTimeout)
                            // A peer's keys are where its entry says, not wherever that URL sends us.
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .proxy(HttpClient.Builder.NO_PROXY)
                            .version(HttpClient.Version.HTTP_1_1)
                            .build();
                    client = c;
                }
            }
        }
        return c;
    }

    /** Starts a GET; the answer completes within the connect and read timeouts, or fails. */
    CompletableFuture<Answer> start(URI url, int maxBytes, String... headers) {
        var request = HttpRequest.newBuilder(url).GET().timeout(readTimeout).header("Accept", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        CompletableFuture<HttpResponse<byte[]>> sent = client().sendAsync(request.build(), info -> capped(info, maxBytes));
        return sent.thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new StatusRefused(r.statusCode());
            }
            return new Answer(r.body(), r.headers());
        });
    }

    /** Waits for {@code pending} until {@code deadlineNanos} ({@link System#nanoTime}); cancels it past that. */
    Answer await(CompletableFuture<Answer> pending, long deadlineNanos, int maxBytes) throws Failed {
        try {
            return pending.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new Failed("no complete answer within " + (connectTimeout.plus(readTimeout)).toSeconds() + " s");
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        } catch (CancellationException e) {
            throw new Failed("cancelled");
        } catch (ExecutionException e) {
            throw new Failed(reason(e.getCause(), maxBytes));
        }
    }

    /** A GET, waited for: at most the connect plus the read timeout. */
    Answer get(URI url, int maxBytes, String... headers) throws Failed {
        return await(start(url, maxBytes, headers), deadline(), maxBytes);
    }

    /** When a fetch started now must have answered. */
    long deadline() {
        return System.nanoTime() + connectTimeout.plus(readTimeout).toNanos();
    }

    private String reason(Throwable cause, int maxBytes) {
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof StatusRefused s) {
            return "answered HTTP " + s.status;
        }
        if (cause instanceof TooLarge || cause != null && cause.getCause() instanceof TooLarge) {
            return "answer larger than " + maxBytes / 1024 + " KiB";
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return "could not connect within " + connectTimeout.toSeconds() + " s";
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + readTimeout.toSeconds() + " s";
        }
        if (cause instanceof ConnectException) {
            return "could not connect";
        }
        return cause == null ? "failed" : "failed: " + cause.getClass().getSimpleName();
    }

    private static final class StatusRefused extends RuntimeException {
        final int status;

        StatusRefused(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    /** Reads at most {@code max} bytes; a declared or actual larger body fails at once and stops the reading. */
    private static HttpResponse.BodySubscriber<byte[]> capped(HttpResponse.ResponseInfo info, int max) {
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new HttpResponse.BodySubscriber<>() {
            private final CompletableFuture<byte[]> body = new CompletableFuture<>();
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();
            private Flow.Subscription subscription;

            @Override
            public CompletionStage<byte[]> getBody() {
                return body;
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                if (declared > max || info.statusCode() != 200) {
                    // Not read at all: a refusal's body is not needed, a too large one not wanted.
                    s.cancel();
                    if (declared > max && info.statusCode() == 200) {
                        body.completeExceptionally(new TooLarge());
                    } else {
                        body.complete(new byte[0]);
                    }
                    return;
                }
                s.request(1);
            }

            @Override
            public void onNext(List<ByteBuffer> buffers) {
                for (ByteBuffer b : buffers) {
                    if (out.size() + b.remaining() > max) {
                        subscription.cancel();
                        body.completeExceptionally(new TooLarge());
                        return;
                    }
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    out.writeBytes(chunk);
                }
                subscription.request(1);
            }

            @Override
            public void onError(Throwable t) {
                body.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                body.complete(out.toByteArray());
            }
        };
    }
}
