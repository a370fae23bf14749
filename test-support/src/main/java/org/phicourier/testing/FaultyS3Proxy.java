package org.phicourier.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of an S3 emulator that fails every n-th multipart part upload
 * (a {@code PUT} with {@code partNumber} and {@code uploadId}), either with {@code 503 SlowDown}
 * or by resetting the connection; every other request goes through unchanged. Each request gets
 * its own upstream connection and the answer closes the client's connection, which keeps the
 * proxy simple and deterministic: the n-th, 2n-th, ... part requests fail, retries of them are
 * new requests and pass (unless they land on a multiple of n again).
 *
 * <p>Thread-safe; {@link #close()} stops it.
 */
public final class FaultyS3Proxy implements AutoCloseable {
    private static final byte[] SLOW_DOWN = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
            + "</Error>").getBytes(StandardCharsets.UTF_8);

    private final URI upstream;
    private final Fault fault;
    private final int every;
    private final ServerSocket server;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "faulty-s3-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger partRequests = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();

    /** How a chosen part upload fails. */
    public enum Fault {
        /** The proxy answers {@code 503} with the S3 error code {@code SlowDown}. */
        SLOW_DOWN,
        /** The proxy reads the request and resets the TCP connection (RST) without answering. */
        CONNECTION_RESET
    }

    private FaultyS3Proxy(URI upstream, Fault fault, int every) throws IOException {
        this.upstream = upstream;
        this.fault = fault;
        this.every = every;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        workers.execute(this::acceptLoop);
    }

    /**
     * Starts a proxy on a free loopback port.
     *
     * @param upstream the emulator's endpoint, plain HTTP
     * @param fault how chosen part uploads fail
     * @param every fail the part requests whose one-based count is a multiple of this
     * @return the running proxy
     */
    public static FaultyS3Proxy start(URI upstream, Fault fault, int every) {
        try {
            return new FaultyS3Proxy(upstream, fault, every);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a loopback port for the proxy", e);
        }
    }

    /**
     * Returns the endpoint clients use instead of the emulator's.
     *
     * @return the endpoint
     */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /**
     * Returns how many part uploads arrived, failed ones included.
     *
     * @return the count
     */
    public int partRequests() {
        return partRequests.get();
    }

    /**
     * Returns how many part uploads the proxy failed.
     *
     * @return the count
     */
    public int faultsInjected() {
        return faults.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                workers.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            if (expectsContinue(head)) {
                // Without this interim answer the client waits its timeout before sending.
                client.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
            }
            byte[] body = in.readNBytes(contentLength(head));
            if (isPartUpload(head.get(0)) && partRequests.incrementAndGet() % every == 0) {
                faults.incrementAndGet();
                fail(client);
                return;
            }
            forward(head, body, client.getOutputStream());
        } catch (IOException e) {
            // The client went away; nothing to answer.
        }
    }

    private static boolean isPartUpload(String requestLine) {
        return requestLine.startsWith("PUT ") && requestLine.contains("partNumber=")
                && requestLine.contains("uploadId=");
    }

    private void fail(Socket client) throws IOException {
        if (fault == Fault.CONNECTION_RESET) {
            client.setSoLinger(true, 0);
            return;
        }
        String head = "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\n"
                + "Content-Length: " + SLOW_DOWN.length + "\r\nConnection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(SLOW_DOWN);
        out.flush();
    }

    private void forward(List<String> head, byte[] body, OutputStream toClient)
            throws IOException {
        try (Socket up = new Socket(upstream.getHost(), upstream.getPort())) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            for (String line : head) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (!lower.startsWith("connection:") && !lower.startsWith("expect:")) {
                    request.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            request.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            request.write(body);
            up.getOutputStream().write(request.toByteArray());
            up.getOutputStream().flush();
            relayResponse(up.getInputStream(), toClient);
        }
    }

    /** Copies the answer, making sure it tells the client the connection closes. */
    private static void relayResponse(InputStream fromUpstream, OutputStream toClient)
            throws IOException {
        List<String> head = readHead(fromUpstream);
        StringBuilder out = new StringBuilder();
        for (String line : head) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                out.append(line).append("\r\n");
            }
        }
        out.append("Connection: close\r\n\r\n");
        toClient.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
        fromUpstream.transferTo(toClient);
        toClient.flush();
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
                line.reset();
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
            } else {
                line.write(b);
            }
        }
        return lines;
    }

    private static boolean expectsContinue(List<String> head) {
        return head.stream().anyMatch(line -> line.toLowerCase(Locale.ROOT)
                .replace(" ", "").equals("expect:100-continue"));
    }

    private static int contentLength(List<String> head) {
        for (String line : head) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Closing a listening socket that failed leaves nothing to clean up.
        }
        workers.shutdownNow();
    }

    @Override
    public String toString() {
        return "FaultyS3Proxy[" + endpoint() + " -> " + upstream + ", " + fault + " every "
                + every + "]";
    }
}
