package org.phicourier.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of every logger at TRACE while open, with its formatted message and
 * the class names and messages of any attached exception chain, so that tests can search all log
 * output for values that must not appear.
 */
public final class CapturedLogs implements AutoCloseable {
    private final LoggerContext context;
    private final Map<Logger, Level> previousLevels = new HashMap<>();
    private final List<String> lines = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender;
    private final List<Appender<ILoggingEvent>> silenced = new ArrayList<>();

    private CapturedLogs() {
        this.context = (LoggerContext) LoggerFactory.getILoggerFactory();
        this.appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                record(event);
            }
        };
        appender.setContext(context);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Logger logger : context.getLoggerList()) {
            if (logger != root) {
                previousLevels.put(logger, logger.getLevel());
                logger.setLevel(null);
            }
        }
        previousLevels.put(root, root.getLevel());
        root.setLevel(Level.TRACE);
        // The console would drown in TRACE output; it gets its appenders back on close.
        root.iteratorForAppenders().forEachRemaining(silenced::add);
        silenced.forEach(root::detachAppender);
        root.addAppender(appender);
    }

    /**
     * Sets every logger to TRACE and starts capturing.
     *
     * @return the capture; close it to restore the levels
     */
    public static CapturedLogs everythingAtTrace() {
        return new CapturedLogs();
    }

    private synchronized void record(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ')
                .append(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        lines.add(line.toString());
    }

    /**
     * Sets one logger (and its children) to a level other than TRACE while capturing.
     *
     * @param logger the logger name
     * @param level a logback level name such as DEBUG
     * @return this capture
     */
    public CapturedLogs withLevel(String logger, String level) {
        Logger target = context.getLogger(logger);
        previousLevels.putIfAbsent(target, target.getLevel());
        target.setLevel(Level.toLevel(level));
        return this;
    }

    /**
     * Returns all captured lines joined by newlines.
     *
     * @return the captured text
     */
    public synchronized String text() {
        return String.join("\n", lines);
    }

    /**
     * Returns how many events were captured.
     *
     * @return the event count
     */
    public synchronized int count() {
        return lines.size();
    }

    /** Stops capturing and restores the previous levels. */
    @Override
    public void close() {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(appender);
        appender.stop();
        silenced.forEach(root::addAppender);
        previousLevels.forEach(Logger::setLevel);
    }
}
