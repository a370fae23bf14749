package org.phicourier.examples;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.phicourier.Pipeline;
import org.phicourier.RunReport;
import org.phicourier.crypto.Keyring;
import org.phicourier.http.Auth;
import org.phicourier.http.HttpAuth;
import org.phicourier.http.HttpOptions;
import org.phicourier.http.OAuth2ClientCredentials;
import org.phicourier.http.Secret;
import org.phicourier.http.SmartBackendServices;
import org.phicourier.http.fhir.FhirBulkSource;
import org.phicourier.http.fhir.FhirSearchSource;
import org.phicourier.deid.Deidentifier;
import org.phicourier.deid.SinkQuarantine;
import org.phicourier.masking.MaskingTransformer;
import org.phicourier.s3.S3Sink;
import org.phicourier.spi.Source;

/**
 * {@code fhir-to-s3}: reads FHIR resources by search ({@code --types}) or Bulk Data export
 * ({@code --bulk}, limited to {@code --types} when both are given), masks or de-identifies them,
 * encrypts them and writes them to S3, then prints the run report as JSON on standard output
 * (with {@code --preset}, the de-identification report on a second line), and nothing that
 * comes from a record.
 *
 * <p>With {@code --state-file} or {@code --state-uri} runs keep state like {@code jdbc-to-s3}:
 * a search is incremental by the server's time, a bulk export with {@code --types} by the
 * previous export's transaction time; bookmarks are saved only after the objects holding the
 * resources are complete, and a rerun after a failure writes the same objects again instead of
 * duplicates. A run with nothing new succeeds with zero records.
 */
final class FhirToS3Command {
    static final String NAME = "fhir-to-s3";
    static final String USAGE = NAME + " --base-url URL (--types Patient,Encounter,..."
            + " | --bulk system|patient|group:ID [--types T,...]) [--page-size N]"
            + " [--bearer-env VAR | --client-id ID --token-url URL (--client-secret-env VAR"
            + " | --private-key-file F [--key-id KID]) [--scope S]]"
            + " [--state-file F | --state-uri s3://bucket/key]"
            + " [--allow-plain-http] --bucket B [--prefix P] " + Keyrings.CHOICE
            + " [--endpoint URL] (--masking-config FILE | --keep-all"
            + " | --preset safe-harbor|limited-data-set|research --deid-key-file F"
            + " [--deid-config FILE]) [--allow-noncompliant-bucket] " + Observability.USAGE;
    private static final Set<String> VALUES = Observability.with(Observability.VALUES,
            "--base-url", "--types", "--bulk",
            "--page-size", "--bearer-env", "--client-id", "--client-secret-env", "--token-url",
            "--private-key-file", "--key-id", "--scope", StateFlags.FILE, StateFlags.URI_FLAG,
            "--bucket", "--prefix", Keyrings.KMS_KEY_ID, Keyrings.MASTER_KEY_FILE,
            Keyrings.RSA_KEY_FILE, "--endpoint", "--masking-config", Deid.PRESET, Deid.KEY_FILE,
            Deid.CONFIG);
    private static final Set<String> SWITCHES = Observability.with(Observability.SWITCHES,
            "--keep-all", "--allow-plain-http", CompliantBuckets.ALLOW_NONCOMPLIANT);

    private FhirToS3Command() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        CommandLine line = CommandLine.parse(NAME, args, VALUES, SWITCHES);
        Observability.logLevel(line);
        String masking = line.exactlyOne("--masking-config", "--keep-all", Deid.PRESET);
        Deid.rejectStrayFlags(line, masking.equals(Deid.PRESET));
        StateFlags.checkAtMostOne(line);
        URI base = url(line, "--base-url", line.required("--base-url"));
        HttpOptions http = options(line, base);
        try (Source source = source(line, base, http);
                AwsClients aws = AwsClients.create(line.value("--endpoint"))) {
            Keyring keyring = Keyrings.from(line, aws);
            S3Sink sink = S3Sink.builder().s3Client(aws.s3()).bucket(line.required("--bucket"))
                    .prefix(line.value("--prefix").orElse("")).keyring(keyring)
                    .allowPlainHttp(aws.plainHttp())
                    .allowNoncompliantBucket(line.has(CompliantBuckets.ALLOW_NONCOMPLIANT))
                    .build();
            Pipeline.Builder pipeline = Pipeline.from(source);
            Observability.apply(line, pipeline, aws, err);
            StateFlags.store(line, aws).ifPresent(store -> pipeline.state(store, keyring));
            if (masking.equals(Deid.PRESET)) {
                return runDeidentified(line, pipeline, sink, out);
            }
            if (masking.equals("--masking-config")) {
                pipeline.through(MaskingTransformer.fromJson(Path.of(line.required(
                        "--masking-config"))));
            }
            out.println(pipeline.to(sink).build().run().toJson());
            return 0;
        }
    }

    private static int runDeidentified(CommandLine line, Pipeline.Builder pipeline, S3Sink sink,
            PrintStream out) {
        SinkQuarantine quarantine = SinkQuarantine.of(sink);
        Deidentifier deid = Deid.from(line, quarantine);
        RunReport report;
        try {
            report = pipeline.through(deid).to(sink).build().run();
        } finally {
            quarantine.close();
        }
        out.println(report.toJson());
        out.println(Deid.compactReport(deid));
        return 0;
    }

    private static Source source(CommandLine line, URI base, HttpOptions http) {
        if (!line.has("--bulk")) {
            FhirSearchSource.Builder search = FhirSearchSource.builder().baseUrl(base).http(http);
            list(line, "--types").forEach(search::search);
            line.value("--page-size").ifPresent(n -> search.pageSize(number(n, "--page-size")));
            return search.build();
        }
        if (line.has("--page-size")) {
            throw new UsageException(NAME + ": --page-size applies to --types only");
        }
        FhirBulkSource.Builder bulk = FhirBulkSource.builder().baseUrl(base).http(http);
        level(bulk, line.required("--bulk"));
        if (line.has("--types")) {
            bulk.types(list(line, "--types").toArray(String[]::new));
        }
        return bulk.build();
    }

    private static void level(FhirBulkSource.Builder bulk, String level) {
        if (level.equals("system")) {
            bulk.system();
        } else if (level.equals("patient")) {
            bulk.patient();
        } else if (level.startsWith("group:")) {
            bulk.group(level.substring("group:".length()));
        } else {
            throw new UsageException(NAME + ": --bulk must be system, patient or group:ID");
        }
    }

    private static HttpOptions options(CommandLine line, URI base) {
        boolean plain = line.has("--allow-plain-http");
        if (plain && !isLoopback(base.getHost())) {
            throw new UsageException(NAME + ": --allow-plain-http is accepted only for a server"
                    + " on a loopback address");
        }
        HttpOptions transport = HttpOptions.builder().allowPlainHttp(plain).build();
        return transport.toBuilder().auth(auth(line, transport)).build();
    }

    private static HttpAuth auth(CommandLine line, HttpOptions transport) {
        if (line.has("--bearer-env") && line.has("--client-id")) {
            throw new UsageException(NAME + ": give --bearer-env or --client-id, not both");
        }
        if (line.has("--bearer-env")) {
            return Auth.bearer(Secret.fromEnvironment(environment(line, "--bearer-env")));
        }
        if (!line.has("--client-id")) {
            for (String flag : List.of("--client-secret-env", "--token-url", "--private-key-file",
                    "--key-id", "--scope")) {
                if (line.has(flag)) {
                    throw new UsageException(NAME + ": " + flag + " needs --client-id");
                }
            }
            return Auth.none();
        }
        return tokenAuth(line, transport);
    }

    private static HttpAuth tokenAuth(CommandLine line, HttpOptions transport) {
        URI tokenUrl = url(line, "--token-url", line.required("--token-url"));
        if (transport.allowPlainHttp() && !isLoopback(tokenUrl.getHost())) {
            throw new UsageException(NAME + ": --allow-plain-http is accepted only for a token"
                    + " endpoint on a loopback address");
        }
        String clientId = line.required("--client-id");
        String kind = line.exactlyOne("--client-secret-env", "--private-key-file");
        if (kind.equals("--client-secret-env")) {
            OAuth2ClientCredentials.Builder oauth = OAuth2ClientCredentials.builder()
                    .tokenUrl(tokenUrl).clientId(clientId).http(transport)
                    .clientSecret(Secret.fromEnvironment(environment(line, kind)));
            line.value("--scope").ifPresent(oauth::scope);
            return oauth.build();
        }
        SmartBackendServices.Builder smart = SmartBackendServices.builder().tokenUrl(tokenUrl)
                .clientId(clientId).http(transport)
                .privateKeyFile(Path.of(line.required("--private-key-file")));
        line.value("--key-id").ifPresent(smart::keyId);
        line.value("--scope").ifPresent(smart::scope);
        return smart.build();
    }

    private static String environment(CommandLine line, String flag) {
        String variable = line.required(flag);
        if (System.getenv(variable) == null) {
            throw new UsageException(NAME + ": " + flag + " names " + variable
                    + ", which is not set");
        }
        return variable;
    }

    private static URI url(CommandLine line, String flag, String text) {
        try {
            URI uri = URI.create(text.strip());
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException(line.command() + ": " + flag + " is not a URL with a host");
        }
    }

    private static List<String> list(CommandLine line, String flag) {
        List<String> items = Arrays.stream(line.required(flag).split(","))
                .map(String::strip).filter(t -> !t.isEmpty()).toList();
        if (items.isEmpty()) {
            throw new UsageException(NAME + ": " + flag + " names no resource type");
        }
        return items;
    }

    private static int number(String text, String flag) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(NAME + ": " + flag + " must be a whole number");
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
