package org.phicourier.examples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.phicourier.Pipeline;
import org.phicourier.audit.AuditSink;
import org.phicourier.audit.AuditVerification;
import org.phicourier.audit.FileAuditSink;
import org.phicourier.metrics.ProgressReporter;
import org.phicourier.s3.S3AuditSink;
import org.slf4j.LoggerFactory;

/**
 * The flags that {@code jdbc-to-s3} and {@code fhir-to-s3} share for watching a run:
 * {@code --audit-uri}, {@code --actor}, {@code --log-level} and {@code --progress}.
 */
final class Observability {
    static final String AUDIT_URI = "--audit-uri";
    static final String ACTOR = "--actor";
    static final String LOG_LEVEL = "--log-level";
    static final String PROGRESS = "--progress";
    static final Set<String> VALUES = Set.of(AUDIT_URI, ACTOR, LOG_LEVEL);
    static final Set<String> SWITCHES = Set.of(PROGRESS);
    static final String USAGE = "[--audit-uri file:PATH|s3://bucket/prefix] [--actor NAME]"
            + " [--log-level error|warn|info|debug|trace] [--progress]";

    private Observability() {
    }

    /** Returns the flags of a command together with these. */
    static Set<String> with(Set<String> shared, String... own) {
        Set<String> all = new HashSet<>(shared);
        all.addAll(Arrays.asList(own));
        return Set.copyOf(all);
    }

    /** Sets every logger to the level of {@code --log-level}, before anything logs. */
    static void logLevel(CommandLine line) {
        Optional<String> given = line.value(LOG_LEVEL);
        if (given.isEmpty()) {
            return;
        }
        String name = given.get().toLowerCase(Locale.ROOT);
        if (!Set.of("error", "warn", "info", "debug", "trace").contains(name)) {
            throw new UsageException(line.command() + ": " + LOG_LEVEL + " must be error, warn,"
                    + " info, debug or trace, not '" + given.get() + "'");
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Logger logger : context.getLoggerList()) {
            // Every other logger inherits the root's level; the root must keep one.
            if (logger != root) {
                logger.setLevel(null);
            }
        }
        root.setLevel(Level.toLevel(name));
    }

    /** Whether to show progress: asked for, or standard error is a terminal. */
    static boolean progress(CommandLine line) {
        return line.has(PROGRESS) || System.console() != null;
    }

    /** Adds the audit trail and the progress reporter that the flags ask for. */
    static void apply(CommandLine line, Pipeline.Builder pipeline, AwsClients aws,
            PrintStream err) {
        line.value(AUDIT_URI).ifPresent(uri -> pipeline.audit(auditSink(line, uri, aws))
                .actor(line.value(ACTOR).orElse(System.getProperty("user.name", "unknown"))));
        if (line.has(ACTOR) && !line.has(AUDIT_URI)) {
            throw new UsageException(line.command() + ": " + ACTOR + " needs " + AUDIT_URI);
        }
        if (progress(line)) {
            pipeline.listener(ProgressReporter.builder().output(err).build());
        }
    }

    static AuditSink auditSink(CommandLine line, String address, AwsClients aws) {
        if (address.startsWith("file:")) {
            String path = address.substring("file:".length());
            if (path.isBlank()) {
                throw new UsageException(line.command() + ": " + AUDIT_URI + " file: needs a"
                        + " path");
            }
            return FileAuditSink.of(Path.of(path));
        }
        if (address.startsWith("s3://")) {
            URI uri;
            try {
                uri = URI.create(address);
            } catch (IllegalArgumentException e) {
                throw new UsageException(line.command() + ": " + AUDIT_URI + " '" + address
                        + "' is not a URI");
            }
            return S3AuditSink.of(aws.s3(), uri, aws.plainHttp());
        }
        throw new UsageException(line.command() + ": " + AUDIT_URI + " must be file:PATH or"
                + " s3://bucket/prefix");
    }

    static AuditVerification verify(AuditSink sink) {
        if (sink instanceof FileAuditSink file) {
            return file.verify();
        }
        return ((S3AuditSink) sink).verify();
    }
}
