package org.phicourier.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Flow;

/**
 * Hands a response body to its reader as an {@link InputStream} while it arrives, asking the
 * connection for more only when the reader has taken what came, so that at most a few network
 * buffers are held however large the body. A read that waits longer than the idle timeout for
 * the next bytes fails with {@link HttpTimeoutException} and cancels the exchange.
 */
public final class StreamingBody implements HttpResponse.BodySubscriber<InputStream> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    private final long idleNanos;
    private final Body body = new Body();
    private volatile Flow.Subscription subscription;

    /**
     * Creates the subscriber of one response.
     *
     * @param idleTimeout the longest wait for the next bytes
     */
    public StreamingBody(Duration idleTimeout) {
        this.idleNanos = idleTimeout.toNanos();
    }

    /**
     * Returns a body handler that streams every response this way.
     *
     * @param idleTimeout the longest wait for the next bytes
     * @return the handler
     */
    public static HttpResponse.BodyHandler<InputStream> handler(Duration idleTimeout) {
        return info -> new StreamingBody(idleTimeout);
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedFuture(body);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrivals.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        arrivals.add(throwable);
    }

    @Override
    public void onComplete() {
        arrivals.add(END);
    }

    /** The reader's side; not thread-safe. */
    private final class Body extends InputStream {
        private final Deque<ByteBuffer> buffers = new ArrayDeque<>();
        private boolean ended;
        private boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (closed) {
                throw new IOException("the response body is closed");
            }
            if (length == 0) {
                return 0;
            }
            while (buffers.isEmpty()) {
                if (ended) {
                    return -1;
                }
                take();
            }
            ByteBuffer head = buffers.peekFirst();
            int n = Math.min(length, head.remaining());
            head.get(target, offset, n);
            if (!head.hasRemaining()) {
                buffers.removeFirst();
            }
            return n;
        }

        private void take() throws IOException {
            Object item = poll();
            if (item == END) {
                ended = true;
            } else if (item instanceof Throwable) {
                ended = true;
                throw new IOException("the connection failed while the body was read ("
                        + item.getClass().getName() + ")");
            } else {
                for (Object buffer : (List<?>) item) {
                    ByteBuffer bytes = (ByteBuffer) buffer;
                    if (bytes.hasRemaining()) {
                        buffers.addLast(bytes);
                    }
                }
                subscription.request(1);
            }
        }

        private Object poll() throws IOException {
            try {
                Object item = arrivals.poll(idleNanos, TimeUnit.NANOSECONDS);
                if (item == null) {
                    ended = true;
                    cancel();
                    throw new HttpTimeoutException("no body bytes arrived for "
                            + Duration.ofNanos(idleNanos).toMillis() + " ms");
                }
                return item;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
                throw new IOException("interrupted while reading a response body");
            }
        }

        private void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (!ended) {
                    cancel();
                }
                buffers.clear();
                arrivals.clear();
            }
        }
    }
}
