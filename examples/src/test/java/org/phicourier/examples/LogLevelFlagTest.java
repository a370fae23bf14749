package org.phicourier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** {@code --log-level} sets every logger to the level given, through the root logger. */
class LogLevelFlagTest {
    private static final LoggerContext CONTEXT =
            (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void restoreConfiguration() {
        Logger root = CONTEXT.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        CONTEXT.getLogger("org.phicourier").setLevel(Level.WARN);
    }

    private static CommandLine line(String... args) {
        return CommandLine.parse("jdbc-to-s3", List.of(args), Observability.VALUES,
                Observability.SWITCHES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"error", "warn", "info", "debug", "trace"})
    void logLevel_eachLevel_setsTheRootAndClearsTheOthers(String level) {
        CONTEXT.getLogger("org.phicourier").setLevel(Level.WARN);

        Observability.logLevel(line("--log-level", level));

        assertThat(CONTEXT.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel())
                .isEqualTo(Level.toLevel(level));
        assertThat(CONTEXT.getLogger("org.phicourier").getLevel()).isNull();
        assertThat(CONTEXT.getLogger("org.phicourier").getEffectiveLevel())
                .isEqualTo(Level.toLevel(level));
    }

    @Test
    void logLevel_unknownLevel_isRefusedAsUsage() {
        assertThatThrownBy(() -> Observability.logLevel(line("--log-level", "loud")))
                .isInstanceOf(UsageException.class)
                .hasMessage("jdbc-to-s3: --log-level must be error, warn, info, debug or trace,"
                        + " not 'loud'");
    }
}
