package org.phicourier.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The flags of one command: {@code --name value} pairs and {@code --switch}es. Unknown flags,
 * missing values and repeated flags are usage errors.
 */
final class CommandLine {
    private final String command;
    private final Map<String, String> values;
    private final Set<String> switches;

    private CommandLine(String command, Map<String, String> values, Set<String> switches) {
        this.command = command;
        this.values = values;
        this.switches = switches;
    }

    static CommandLine parse(String command, List<String> args, Set<String> valueFlags,
            Set<String> switchFlags) {
        Map<String, String> values = new HashMap<>();
        List<String> seenSwitches = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (switchFlags.contains(flag)) {
                if (seenSwitches.contains(flag)) {
                    throw new UsageException(command + ": " + flag + " is given twice");
                }
                seenSwitches.add(flag);
            } else if (valueFlags.contains(flag)) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException(command + ": " + flag + " needs a value");
                }
                if (values.put(flag, args.get(++i)) != null) {
                    throw new UsageException(command + ": " + flag + " is given twice");
                }
            } else {
                throw new UsageException(command + ": unknown argument '" + flag + "'");
            }
        }
        return new CommandLine(command, values, Set.copyOf(seenSwitches));
    }

    Optional<String> value(String flag) {
        return Optional.ofNullable(values.get(flag));
    }

    String required(String flag) {
        return value(flag).orElseThrow(() -> new UsageException(command + ": " + flag
                + " is required"));
    }

    boolean has(String flag) {
        return switches.contains(flag) || values.containsKey(flag);
    }

    /** Fails unless exactly one of the flags is given. */
    String exactlyOne(String... flags) {
        List<String> given = new ArrayList<>();
        for (String flag : flags) {
            if (has(flag)) {
                given.add(flag);
            }
        }
        if (given.size() != 1) {
            throw new UsageException(command + ": give exactly one of " + String.join(", ", flags)
                    + (given.isEmpty() ? "" : " (got " + String.join(", ", given) + ")"));
        }
        return given.get(0);
    }

    String command() {
        return command;
    }
}
