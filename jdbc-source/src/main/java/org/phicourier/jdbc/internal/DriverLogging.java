package org.phicourier.jdbc.internal;

import java.util.List;
import org.phicourier.ConfigurationException;
import org.slf4j.LoggerFactory;

/**
 * Refuses to read when a JDBC driver would log raw protocol packets, which carry row values.
 *
 * <p>MariaDB Connector/J logs through SLF4J when it is on the class path (it always is beside
 * PHI Courier) and dumps every packet it reads and writes when its socket loggers are at TRACE.
 */
public final class DriverLogging {
    private static final List<String> MARIADB_PACKET_LOGGERS = List.of(
            "org.mariadb.jdbc.client.socket.Reader", "org.mariadb.jdbc.client.socket.Writer");

    private DriverLogging() {
    }

    /**
     * Checks the driver's packet loggers for a dialect.
     *
     * @param dialect the database's dialect
     * @throws ConfigurationException when a packet logger is at TRACE
     */
    public static void refusePacketTrace(Dialect dialect) {
        if (dialect != Dialect.MARIADB) {
            return;
        }
        for (String name : MARIADB_PACKET_LOGGERS) {
            if (LoggerFactory.getLogger(name).isTraceEnabled()) {
                throw new ConfigurationException("logger '" + name + "' is at TRACE, where the"
                        + " MariaDB driver writes raw packets, row values included, to the log;"
                        + " set it to DEBUG or above, or allow it explicitly with"
                        + " allowDriverPacketLogging(true)");
            }
        }
    }
}
