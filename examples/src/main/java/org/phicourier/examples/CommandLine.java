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
    private final Map<String, List<String>> values;
    private final Set<String> switches;

    private CommandLine(String command, Map<String, List<String>> values, Set<String> switches) {
        this.command = command;
        this.values = values;
        this.switches = switches;
    }

    static CommandLine parse(String command, List<String> args, Set<String> valueFlags,
            Set<String> switchFlags) {
        return parse(command, args, valueFlags, switchFlags, Set.of());
    }

    /** Parses flags; those in {@code repeatable} may be given more than once. */
    static CommandLine parse(String command, List<String> args, Set<String> valueFlags,
            Set<String> switchFlags, Set<String> repeatable) {
        Map<String, List<String>> values = new HashMap<>();
        List<String> seenSwitches = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (switchFlags.contains(flag)) {
                if (seenSwitches.contains(flag)) {
                    throw new UsageException(command + ": " + flag + " is given twice");
                }
                seenSwitches.add(flag);
            } else if (valueFlags.contains(flag) || repeatable.contains(flag)) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException(command + ": " + flag + " needs a value");
                }
                List<String> given = values.computeIfAbsent(flag, f -> new ArrayList<>());
                if (!given.isEmpty() && !repeatable.contains(flag)) {
                    throw new UsageException(command + ": " + flag + " is given twice");
                }
                given.add(args.get(++i));
            } else {
                throw new UsageException(command + ": unknown argument '" + flag + "'");
            }
        }
        return new CommandLine(command, values, Set.copyOf(seenSwitches));
    }

    Optional<String> value(String flag) {
        return Optional.ofNullable(values.get(flag)).map(v -> v.get(0));
    }

    /** Returns every value of a repeatable flag, in the order given. */
    List<String> values(String flag) {
        return values.getOrDefault(flag, List.of());
    }

    /** Returns the value of a flag as a positive whole number. */
    Optional<Integer> positive(String flag) {
        return value(flag).map(text -> {
            int number;
            try {
                number = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                number = 0;
            }
            if (number < 1) {
                throw new UsageException(command + ": " + flag + " needs a whole number of at"
                        + " least 1");
            }
            return number;
        });
    }

    /** Returns the value of a flag as a positive whole number that may pass 2^31. */
    Optional<Long> positiveLong(String flag) {
        return value(flag).map(text -> {
            long number;
            try {
                number = Long.parseLong(text);
            } catch (NumberFormatException e) {
                number = 0;
            }
            if (number < 1) {
                throw new UsageException(command + ": " + flag + " needs a whole number of at"
                        + " least 1");
            }
            return number;
        });
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
