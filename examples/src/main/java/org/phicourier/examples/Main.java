package org.phicourier.examples;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.phicourier.ConfigurationException;
import org.phicourier.PhiCourierException;

/**
 * The example programs: {@code jdbc-to-s3}, {@code fhir-to-s3}, {@code decrypt},
 * {@code rewrap}, {@code quickstart}, {@code classify}, {@code audit-verify} and
 * {@code preflight}.
 *
 * <p>Exit codes: 0 success, 2 bad usage or configuration, 1 a failed run. Errors go to standard
 * error and never carry a record value.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Main() {
    }

    /**
     * Runs a command and exits with its code.
     *
     * @param args the command and its flags
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs a command.
     *
     * @param args the command and its flags
     * @param out receives the command's output
     * @param err receives errors
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            err.println(usage());
            return args.length == 0 ? USAGE : OK;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return dispatch(args[0], rest, out, err);
        } catch (UsageException | ConfigurationException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        } catch (PhiCourierException | UncheckedIOException e) {
            err.println("failed: " + e.getMessage());
            return FAILED;
        } catch (RuntimeException e) {
            // Messages of unexpected exceptions may quote data; print the type only.
            err.println("failed: unexpected " + e.getClass().getName());
            return FAILED;
        }
    }

    private static int dispatch(String command, List<String> rest, PrintStream out,
            PrintStream err) {
        switch (command) {
            case JdbcToS3Command.NAME:
                return JdbcToS3Command.run(rest, out, err);
            case FhirToS3Command.NAME:
                return FhirToS3Command.run(rest, out, err);
            case AuditVerifyCommand.NAME:
                return AuditVerifyCommand.run(rest, out, err);
            case DecryptCommand.NAME:
                return DecryptCommand.run(rest, out);
            case RewrapCommand.NAME:
                return RewrapCommand.run(rest, out);
            case QuickstartCommand.NAME:
                return QuickstartCommand.run(rest, out, err);
            case ClassifyCommand.NAME:
                return ClassifyCommand.run(rest, out);
            case PreflightCommand.NAME:
                return PreflightCommand.run(rest, out);
            default:
                throw new UsageException("unknown command '" + command + "'\n" + usage());
        }
    }

    static String usage() {
        return "usage: java -jar phi-courier-examples.jar <command> [flags]\n"
                + "  " + JdbcToS3Command.USAGE + "\n"
                + "  " + FhirToS3Command.USAGE + "\n"
                + "  " + DecryptCommand.USAGE + "\n"
                + "  " + RewrapCommand.USAGE + "\n"
                + "  " + QuickstartCommand.USAGE + "\n"
                + "  " + ClassifyCommand.USAGE + "\n"
                + "  " + AuditVerifyCommand.USAGE + "\n"
                + "  " + PreflightCommand.USAGE + "\n"
                + "exit codes: 0 success, 2 bad usage or configuration, 1 failed run";
    }
}
