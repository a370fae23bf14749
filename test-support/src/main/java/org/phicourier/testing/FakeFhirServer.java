package org.phicourier.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A FHIR R4 server fake on the loopback interface that serves the shared test data (bulk NDJSON,
 * Synthea bundles, HL7 examples) as paged searchsets and as a Bulk Data export.
 *
 * <p>Search: {@code GET /fhir/<Type>?_count=N[&_lastUpdated=ge|gt<instant>]}, Bundles of type
 * searchset with {@code meta.lastUpdated} set to the server's time and absolute next links.
 * Bulk Data: kick-off at {@code /fhir/$export}, {@code /fhir/Patient/$export} and
 * {@code /fhir/Group/<id>/$export} (needs {@code Prefer: respond-async}; honours {@code _type}
 * and {@code _since}), status polling with {@code X-Progress}, a manifest whose
 * {@code transactionTime} is the server's time of the kick-off, NDJSON files split after a
 * number of lines, and DELETE of jobs. The server has a clock of its own that tests may skew, and
 * every resource has a last-updated time on that clock. Each resource keeps the exact JSON it was
 * loaded with (decimals as written).
 */
public final class FakeFhirServer implements AutoCloseable {
    /** The mapper the fake parses and writes with: exact decimals, scale kept. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .build();
    private static final Set<String> NOT_IN_PATIENT_COMPARTMENT =
            Set.of("Organization", "Practitioner", "PractitionerRole", "Location");

    private final LoopbackServer server;
    private final Map<String, Map<String, Stored>> resources = new TreeMap<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger jobIds = new AtomicInteger();
    private volatile Duration clockOffset = Duration.ZERO;
    private volatile int pollsBeforeComplete = 2;
    private volatile String retryAfter;
    private volatile int linesPerFile = 1000;
    private volatile Predicate<Optional<String>> authorization = auth -> true;
    private final AtomicInteger deletedJobs = new AtomicInteger();

    /** A resource as served: its JSON text and when it last changed, by the server's clock. */
    private record Stored(String json, Instant lastUpdated) {
    }

    /** One export: what it covers and the files of its manifest. */
    private static final class Job {
        final String level;
        final Set<String> types;
        final Optional<Instant> since;
        final Instant transactionTime;
        final Map<String, List<List<String>>> files = new LinkedHashMap<>();
        int polls;

        Job(String level, Set<String> types, Optional<Instant> since, Instant transactionTime) {
            this.level = level;
            this.types = types;
            this.since = since;
            this.transactionTime = transactionTime;
        }
    }

    private FakeFhirServer() {
        this.server = LoopbackServer.start();
        server.route("/fhir", this::handle);
    }

    /**
     * Starts a server loaded with every FHIR resource of the shared data folder.
     *
     * @param sharedData the {@code shared/data} folder
     * @return the running server
     */
    public static FakeFhirServer start(Path sharedData) {
        FakeFhirServer fake = new FakeFhirServer();
        try {
            Path fhir = sharedData.resolve("fhir-r4");
            fake.loadNdjson(fhir.resolve("bulk-ndjson"));
            fake.loadBundles(fhir.resolve("synthea-bundles"));
            fake.loadExamples(fhir.resolve("hl7-examples"));
        } catch (IOException e) {
            fake.close();
            throw new UncheckedIOException("cannot load the shared FHIR data", e);
        }
        return fake;
    }

    private void loadNdjson(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".000.ndjson")).sorted()
                    .toList()) {
                try (BufferedReader lines = Files.newBufferedReader(file)) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        add(JSON.readTree(line));
                    }
                }
            }
        }
    }

    private void loadBundles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                for (JsonNode entry : JSON.readTree(file.toFile()).path("entry")) {
                    add(entry.path("resource"));
                }
            }
        }
    }

    private void loadExamples(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                JsonNode resource = JSON.readTree(file.toFile());
                if (!"Bundle".equals(resource.path("resourceType").asText())) {
                    add(resource);
                }
            }
        }
    }

    private void add(JsonNode resource) throws IOException {
        String type = resource.path("resourceType").asText();
        String id = resource.path("id").asText();
        Instant loaded = now().minus(Duration.ofDays(1));
        resources.computeIfAbsent(type, t -> new LinkedHashMap<>())
                .putIfAbsent(id, new Stored(JSON.writeValueAsString(resource), loaded));
    }

    /**
     * Returns the base URL, {@code http://127.0.0.1:<port>/fhir}.
     *
     * @return the base URL
     */
    public URI baseUrl() {
        return server.uri("/fhir");
    }

    /**
     * Returns the resource types held.
     *
     * @return the types, sorted
     */
    public synchronized List<String> types() {
        return List.copyOf(resources.keySet());
    }

    /**
     * Returns every resource of a type, parsed.
     *
     * @param type the resource type
     * @return the resources by id, in load order
     */
    public synchronized Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> parsed = new LinkedHashMap<>();
        resources.getOrDefault(type, Map.of()).forEach((id, stored) -> parsed.put(id,
                parse(stored.json())));
        return parsed;
    }

    /**
     * Returns how many resources the server holds.
     *
     * @return the count
     */
    public synchronized int count() {
        return resources.values().stream().mapToInt(Map::size).sum();
    }

    /**
     * Changes a resource and stamps it with the server's current time.
     *
     * @param type the resource type
     * @param id the resource id
     * @param change the change
     */
    public synchronized void update(String type, String id, UnaryOperator<ObjectNode> change) {
        Stored stored = resources.get(type).get(id);
        ObjectNode changed = change.apply((ObjectNode) parse(stored.json()));
        try {
            resources.get(type).put(id, new Stored(JSON.writeValueAsString(changed), now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sets how far the server's clock is from the system clock.
     *
     * @param offset added to the system time
     */
    public void clockOffset(Duration offset) {
        this.clockOffset = offset;
    }

    /**
     * Returns the server's current time.
     *
     * @return the time
     */
    public Instant now() {
        return Clock.systemUTC().instant().plus(clockOffset);
    }

    /**
     * Sets how many status polls answer 202 before the manifest; 2 by default.
     *
     * @param polls zero or more
     */
    public void pollsBeforeComplete(int polls) {
        this.pollsBeforeComplete = polls;
    }

    /**
     * Sets the {@code Retry-After} value of 202 status answers; none by default.
     *
     * @param value for example {@code 1}
     */
    public void retryAfter(String value) {
        this.retryAfter = value;
    }

    /**
     * Sets after how many lines an export file is split; 1000 by default.
     *
     * @param lines at least 1
     */
    public void linesPerFile(int lines) {
        this.linesPerFile = lines;
    }

    /**
     * Sets which {@code Authorization} headers the server accepts; all by default. Refused
     * requests get 401.
     *
     * @param check tests the header value, when present
     */
    public void authorization(Predicate<Optional<String>> check) {
        this.authorization = check;
    }

    /**
     * Returns how many export jobs were deleted.
     *
     * @return the count
     */
    public int deletedJobs() {
        return deletedJobs.get();
    }

    /**
     * Returns every request the server received.
     *
     * @return the requests in arrival order
     */
    public List<LoopbackServer.Request> requests() {
        return server.requests();
    }

    private void handle(LoopbackServer.Request request, LoopbackServer.Reply reply)
            throws IOException {
        if (!authorization.test(request.header("Authorization"))) {
            reply.send(401, "application/fhir+json", outcome("login", "not authorized"));
            return;
        }
        List<String> path = Arrays.asList(request.path().substring("/fhir/".length()).split("/"));
        String last = path.get(path.size() - 1);
        if (request.method().equals("DELETE") && path.get(0).equals("$status")) {
            deleteJob(path.get(1), reply);
        } else if (path.get(0).equals("$status")) {
            status(path.get(1), reply);
        } else if (path.get(0).equals("$files")) {
            file(path, reply);
        } else if (last.equals("$export")) {
            kickOff(request, path, reply);
        } else if (path.size() == 1) {
            search(request, path.get(0), reply);
        } else {
            reply.send(404, "application/fhir+json", outcome("not-found", "unknown path"));
        }
    }

    private void search(LoopbackServer.Request request, String type, LoopbackServer.Reply reply)
            throws IOException {
        int count = request.param("_count").map(Integer::parseInt).orElse(50);
        int offset = request.param("_offset").map(Integer::parseInt).orElse(0);
        Optional<String> lastUpdated = request.param("_lastUpdated");
        List<String> matches = matching(type, lastUpdated.map(FakeFhirServer::filter)
                .orElse(i -> true));
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":"
                + "\"searchset\",\"meta\":{\"lastUpdated\":\"" + instant(now()) + "\"},"
                + "\"total\":" + matches.size() + ",\"link\":[");
        bundle.append(link("self", request, offset));
        if (offset + count < matches.size()) {
            bundle.append(',').append(link("next", request, offset + count));
        }
        bundle.append("],\"entry\":[");
        List<String> page = matches.subList(Math.min(offset, matches.size()),
                Math.min(offset + count, matches.size()));
        for (int i = 0; i < page.size(); i++) {
            bundle.append(i == 0 ? "" : ",").append("{\"resource\":").append(page.get(i))
                    .append(",\"search\":{\"mode\":\"match\"}}");
        }
        reply.send(200, "application/fhir+json;charset=utf-8", bundle.append("]}").toString());
    }

    private String link(String relation, LoopbackServer.Request request, int offset) {
        String query = Arrays.stream(request.query().split("&"))
                .filter(p -> !p.startsWith("_offset=") && !p.isEmpty())
                .reduce((a, b) -> a + "&" + b).orElse("");
        String url = server.uri(request.path() + "?" + query + "&_offset=" + offset).toString();
        return "{\"relation\":\"" + relation + "\",\"url\":\"" + url + "\"}";
    }

    private static Predicate<Instant> filter(String lastUpdated) {
        Instant bound = OffsetDateTime.parse(lastUpdated.substring(2)).toInstant();
        return lastUpdated.startsWith("gt") ? i -> i.isAfter(bound) : i -> !i.isBefore(bound);
    }

    private synchronized List<String> matching(String type, Predicate<Instant> when) {
        List<String> out = new ArrayList<>();
        resources.getOrDefault(type, Map.of()).values().forEach(stored -> {
            if (when.test(stored.lastUpdated())) {
                out.add(stored.json());
            }
        });
        return out;
    }

    private void kickOff(LoopbackServer.Request request, List<String> path,
            LoopbackServer.Reply reply) throws IOException {
        if (!request.header("Prefer").orElse("").contains("respond-async")) {
            reply.send(400, "application/fhir+json", outcome("invalid", "Prefer missing"));
            return;
        }
        String level = path.size() == 1 ? "system" : path.get(0).equals("Patient") ? "patient"
                : "group";
        Set<String> types = request.param("_type").map(t -> Set.of(t.split(",")))
                .orElse(Set.of());
        Optional<Instant> since = request.param("_since")
                .map(s -> OffsetDateTime.parse(s).toInstant());
        String id = "job-" + jobIds.incrementAndGet();
        Job job = new Job(level, types, since, now());
        jobs.put(id, job);
        plan(job);
        reply.header("Content-Location", server.uri("/fhir/$status/" + id).toString());
        reply.empty(202);
    }

    private synchronized void plan(Job job) {
        resources.forEach((type, byId) -> {
            boolean wanted = job.types.isEmpty() ? inScope(job.level, type)
                    : job.types.contains(type);
            List<String> ids = new ArrayList<>();
            byId.forEach((id, stored) -> {
                boolean changed = job.since.map(s -> stored.lastUpdated().isAfter(s)).orElse(true)
                        && !stored.lastUpdated().isAfter(job.transactionTime);
                if (wanted && changed) {
                    ids.add(id);
                }
            });
            List<List<String>> files = new ArrayList<>();
            for (int i = 0; i < ids.size(); i += linesPerFile) {
                files.add(ids.subList(i, Math.min(ids.size(), i + linesPerFile)));
            }
            if (!files.isEmpty()) {
                job.files.put(type, files);
            }
        });
    }

    private static boolean inScope(String level, String type) {
        return level.equals("system") || !NOT_IN_PATIENT_COMPARTMENT.contains(type);
    }

    private void status(String id, LoopbackServer.Reply reply) throws IOException {
        Job job = jobs.get(id);
        if (job == null) {
            reply.send(404, "application/fhir+json", outcome("not-found", "no such job"));
            return;
        }
        int polls;
        synchronized (job) {
            polls = ++job.polls;
        }
        if (polls <= pollsBeforeComplete) {
            reply.header("X-Progress", "in progress, poll " + polls);
            if (retryAfter != null) {
                reply.header("Retry-After", retryAfter);
            }
            reply.empty(202);
            return;
        }
        reply.send(200, "application/json", manifest(id, job));
    }

    private String manifest(String id, Job job) throws IOException {
        ObjectNode manifest = JSON.createObjectNode()
                .put("transactionTime", instant(job.transactionTime))
                .put("request", server.uri("/fhir/$export").toString())
                .put("requiresAccessToken", true);
        var output = manifest.putArray("output");
        job.files.forEach((type, files) -> {
            for (int i = 0; i < files.size(); i++) {
                output.addObject().put("type", type)
                        .put("url", server.uri("/fhir/$files/" + id + "/" + type + "/" + i)
                                .toString())
                        .put("count", files.get(i).size());
            }
        });
        manifest.putArray("error");
        return JSON.writeValueAsString(manifest);
    }

    private void file(List<String> path, LoopbackServer.Reply reply) throws IOException {
        Job job = jobs.get(path.get(1));
        if (job == null || !job.files.containsKey(path.get(2))) {
            reply.send(404, "application/fhir+json", outcome("not-found", "no such file"));
            return;
        }
        List<String> ids = job.files.get(path.get(2)).get(Integer.parseInt(path.get(3)));
        try (OutputStream out = reply.stream(200, "application/fhir+ndjson")) {
            for (String id : ids) {
                String json;
                synchronized (this) {
                    json = resources.get(path.get(2)).get(id).json();
                }
                out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void deleteJob(String id, LoopbackServer.Reply reply) throws IOException {
        if (jobs.remove(id) == null) {
            reply.send(404, "application/fhir+json", outcome("not-found", "no such job"));
            return;
        }
        deletedJobs.incrementAndGet();
        reply.empty(202);
    }

    private static String outcome(String code, String text) {
        return "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                + "\"code\":\"" + code + "\",\"diagnostics\":\"" + text + "\"}]}";
    }

    private static String instant(Instant instant) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "FakeFhirServer[" + baseUrl() + "]";
    }
}
