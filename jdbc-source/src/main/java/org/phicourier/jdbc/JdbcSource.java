package org.phicourier.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.phicourier.ConfigurationException;
import org.phicourier.jdbc.internal.Dialect;
import org.phicourier.jdbc.internal.DriverLogging;
import org.phicourier.jdbc.internal.JdbcStreamReader;
import org.phicourier.jdbc.internal.SqlFailures;
import org.phicourier.jdbc.internal.StreamPlan;
import org.phicourier.jdbc.internal.StreamPlanner;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;

/**
 * Reads whole tables, selected columns of tables, or queries from a JDBC database, each as one
 * stream, without ever holding a whole result in memory.
 *
 * <pre>{@code
 * JdbcSource source = JdbcSource.builder()
 *         .dataSource(dataSource)
 *         .table("patients")
 *         .table("encounters", "Id", "START", "PATIENT", "REASONCODE")
 *         .query("recent_claims", "SELECT ... FROM claims WHERE ...")
 *         .build();
 * }</pre>
 *
 * <p>Streaming uses what each database needs: a server-side cursor inside a read-only
 * transaction on PostgreSQL, a streamed result on MariaDB and MySQL, lazy query execution on H2
 * (which otherwise spills large results to temporary files in plaintext). The session time zone is
 * pinned to UTC so that the same row reads the same on every machine. Each stream reads on a
 * connection of its own, closed when the stream ends.
 *
 * <p>Discovery reads only the catalog: a missing table, an unknown column or a column type that
 * cannot be mapped without loss fails before any row is read, naming the stream and the field.
 * Driver messages are never passed on, because drivers quote values in them; errors carry the
 * SQLState and vendor code instead. Discovery also refuses to start while the MariaDB driver's
 * packet loggers are at TRACE, where the driver would write row values to the log (see
 * {@link Builder#allowDriverPacketLogging}).
 *
 * <p>Instances are immutable; a source serves one pipeline run at a time.
 */
public final class JdbcSource implements Source {
    private final ConnectionFactory connections;
    private final Map<String, StreamSpec> streams;
    private final List<String> order;
    private final int fetchSize;
    private final int batchSize;
    private final boolean allowDriverPacketLogging;
    private final Map<String, StreamPlan> plans = new HashMap<>();
    private Dialect dialect;

    /** What a stream reads: a table with columns, or a query. */
    private record StreamSpec(String table, List<String> columns, String query) {
    }

    /** Opens connections from a data source or a URL. */
    @FunctionalInterface
    private interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private JdbcSource(Builder builder) {
        this.connections = builder.connections();
        this.streams = Map.copyOf(builder.streams);
        this.order = List.copyOf(builder.streams.keySet());
        this.fetchSize = builder.fetchSize;
        this.batchSize = builder.batchSize;
        this.allowDriverPacketLogging = builder.allowDriverPacketLogging;
    }

    /**
     * Starts building a JDBC source.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized List<StreamDescriptor> discover() {
        plans.clear();
        List<StreamDescriptor> descriptors = new ArrayList<>();
        try (Connection connection = connect()) {
            dialect = Dialect.of(connection.getMetaData().getDatabaseProductName());
            if (!allowDriverPacketLogging) {
                DriverLogging.refusePacketTrace(dialect);
            }
            StreamPlanner planner = new StreamPlanner(connection, dialect);
            for (String stream : order) {
                StreamPlan plan = plan(planner, stream, streams.get(stream));
                plans.put(stream, plan);
                descriptors.add(plan.descriptor());
            }
        } catch (SQLException e) {
            throw SqlFailures.wrap("reading the database catalog failed", e);
        }
        return descriptors;
    }

    private static StreamPlan plan(StreamPlanner planner, String stream, StreamSpec spec)
            throws SQLException {
        if (spec.query != null) {
            try {
                return planner.planQuery(stream, spec.query);
            } catch (SQLException e) {
                throw SqlFailures.wrap("stream '" + stream + "': the query is not valid", e);
            }
        }
        return planner.planTable(stream, spec.table, spec.columns);
    }

    @Override
    public synchronized StreamReader open(StreamDescriptor stream) {
        StreamPlan plan = plans.get(stream.name());
        if (plan == null) {
            throw new IllegalStateException("stream '" + stream.name()
                    + "' was not discovered by this source");
        }
        return JdbcStreamReader.open(plan, connect(), dialect, fetchSize, batchSize);
    }

    private Connection connect() {
        try {
            return connections.open();
        } catch (SQLException e) {
            throw SqlFailures.wrap("cannot connect to the database", e);
        }
    }

    @Override
    public String toString() {
        return "JdbcSource[streams=" + order + "]";
    }

    /** Builds a {@link JdbcSource}; mutable and not thread-safe. */
    public static final class Builder {
        private DataSource dataSource;
        private String url;
        private String user;
        private Supplier<String> password = () -> null;
        private final Map<String, StreamSpec> streams = new LinkedHashMap<>();
        private int fetchSize = 1000;
        private int batchSize = 1000;
        private boolean allowDriverPacketLogging;

        private Builder() {
        }

        /**
         * Reads through a data source, such as a connection pool. Either this or {@link #jdbcUrl}.
         *
         * @param dataSource the data source; the caller keeps ownership
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Reads through a JDBC URL and the driver on the class path. Either this or
         * {@link #dataSource}.
         *
         * @param url for example {@code jdbc:postgresql://db:5432/ehr}
         * @return this builder
         */
        public Builder jdbcUrl(String url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * Sets the user for {@link #jdbcUrl}.
         *
         * @param user the database user
         * @return this builder
         */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /**
         * Sets where the password for {@link #jdbcUrl} comes from; asked on each connection and
         * never kept or printed.
         *
         * @param password supplies the password
         * @return this builder
         */
        public Builder password(Supplier<String> password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Adds a stream over a table; the stream takes the table's name.
         *
         * @param table the table, optionally {@code schema.table}
         * @param columns the columns to read, in order; all columns when none are given
         * @return this builder
         */
        public Builder table(String table, String... columns) {
            return add(table, new StreamSpec(table, List.of(columns), null));
        }

        /**
         * Adds a stream over a query.
         *
         * @param stream the stream name
         * @param sql a SELECT statement
         * @return this builder
         */
        public Builder query(String stream, String sql) {
            return add(stream, new StreamSpec(null, List.of(), Objects.requireNonNull(sql, "sql")));
        }

        private Builder add(String stream, StreamSpec spec) {
            StreamDescriptor.checkName(stream);
            if (streams.putIfAbsent(stream, spec) != null) {
                throw new ConfigurationException("stream '" + stream + "' is added twice");
            }
            return this;
        }

        /**
         * Sets how many rows the driver fetches per round trip; 1000 by default.
         *
         * @param rows at least 1
         * @return this builder
         */
        public Builder fetchSize(int rows) {
            this.fetchSize = rows;
            return this;
        }

        /**
         * Sets how many rows a batch holds; 1000 by default.
         *
         * @param rows at least 1
         * @return this builder
         */
        public Builder batchSize(int rows) {
            this.batchSize = rows;
            return this;
        }

        /**
         * Allows reading while the JDBC driver logs raw protocol packets (MariaDB Connector/J at
         * TRACE), which writes row values to the log; off by default, and discovery fails
         * instead.
         *
         * @param allow true to allow packet logging
         * @return this builder
         */
        public Builder allowDriverPacketLogging(boolean allow) {
            this.allowDriverPacketLogging = allow;
            return this;
        }

        private ConnectionFactory connections() {
            if (dataSource != null) {
                DataSource source = dataSource;
                return source::getConnection;
            }
            String jdbcUrl = url;
            String jdbcUser = user;
            Supplier<String> jdbcPassword = password;
            return () -> {
                Properties properties = new Properties();
                if (jdbcUser != null) {
                    properties.setProperty("user", jdbcUser);
                }
                String secret = jdbcPassword.get();
                if (secret != null) {
                    properties.setProperty("password", secret);
                }
                return DriverManager.getConnection(jdbcUrl, properties);
            };
        }

        /**
         * Builds the source.
         *
         * @return the source
         * @throws ConfigurationException when no connection or no stream is set, or both a data
         *     source and a URL are, or a size is below 1
         */
        public JdbcSource build() {
            if ((dataSource == null) == (url == null)) {
                throw new ConfigurationException("JDBC source: set either dataSource or jdbcUrl");
            }
            if (streams.isEmpty()) {
                throw new ConfigurationException("JDBC source: add at least one table or query");
            }
            if (fetchSize < 1 || batchSize < 1) {
                throw new ConfigurationException("JDBC source: fetchSize and batchSize must be"
                        + " at least 1");
            }
            return new JdbcSource(this);
        }
    }
}
