package org.phicourier.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.phicourier.ConfigurationException;
import org.phicourier.jdbc.internal.ChunkedReader;
import org.phicourier.jdbc.internal.Dialect;
import org.phicourier.jdbc.internal.DriverLogging;
import org.phicourier.jdbc.internal.JdbcStreamReader;
import org.phicourier.jdbc.internal.ParallelReader;
import org.phicourier.jdbc.internal.ReadRequest;
import org.phicourier.jdbc.internal.SqlFailures;
import org.phicourier.jdbc.internal.StreamPlan;
import org.phicourier.jdbc.internal.StreamPlanner;
import org.phicourier.jdbc.internal.TypeOptions;
import org.phicourier.spi.Bookmark;
import org.phicourier.spi.Replication;
import org.phicourier.spi.ReplicationMode;
import org.phicourier.spi.Source;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * connection of its own, closed when the stream ends; a full refresh of a table keyed by one
 * integer column reads on several ({@link Builder#readConnections}).
 *
 * <p>Discovery reads only the catalog: a missing table, an unknown column or a column type that
 * cannot be mapped without loss fails before any row is read, naming the stream and the field.
 * Driver messages are never passed on, because drivers quote values in them; errors carry the
 * SQLState and vendor code instead. Discovery also refuses to start while the MariaDB driver's
 * packet loggers are at TRACE, where the driver would write row values to the log (see
 * {@link Builder#allowDriverPacketLogging}).
 *
 * <h2>Runs with state: full refresh and incremental reads</h2>
 * In a pipeline with state ({@link org.phicourier.Pipeline.Builder#state}) each table stream is
 * replicated in the {@link Builder#mode mode} set for it:
 * <ul>
 *   <li><b>Full refresh</b> (the default) reads the whole table into a new generation of objects.
 *       A table with a primary key (or unique NOT NULL columns) is read in key order in chunks,
 *       each chunk one query in a short transaction of its own, and a failed read continues
 *       after its last committed chunk; other tables and query streams are read by one query
 *       and start over. A chunked full refresh is not one snapshot: a row inserted behind the
 *       read's position while it runs waits for the next refresh.</li>
 *   <li><b>Incremental by cursor</b> ({@link Builder#cursor}) reads the rows whose cursor tuple
 *       is above the bookmark, in cursor order, compared as a tuple ({@code (a, b) > (x, y)}),
 *       chunked the same way. Cursor columns must be NOT NULL and of a number, date, timestamp
 *       or character type; when they do not identify rows by themselves the primary key is
 *       appended to the tuple, so rows that share a cursor value are neither lost nor sent
 *       twice. Give the cursor an index.</li>
 *   <li><b>Incremental by transaction id</b> (mode incremental, no cursor; PostgreSQL only)
 *       reads the row versions written since the previous read, in primary key order.</li>
 * </ul>
 *
 * <p><b>No row is skipped, whatever the timing of commits.</b> A row written by a transaction
 * that commits late could carry a cursor value below a bookmark that a read has already passed.
 * How each database rules that out:
 * <ul>
 *   <li><b>PostgreSQL</b>: each read takes the transaction horizon (the oldest transaction still
 *       running) when it starts, and delivers exactly the row versions written by transactions
 *       between the previous read's horizon and its own, all of which have ended. A cursor read
 *       finds the new ones above the previous end of the cursor through the cursor's index, and
 *       then scans below it for versions that transactions committed late or wrote with low
 *       values (that scan reads the table once per run). An updated row is delivered again in its
 *       new version. A transaction that stays open holds the horizon back: rows committed after
 *       it began wait for a later read. Needs PostgreSQL 13 or newer and a table (not a
 *       view). Transaction ids are read from the rows' 32-bit {@code xmin}; a row that VACUUM
 *       froze while its id lay more than 2<sup>32</sup> transactions in the past cannot be told
 *       from a recent one and is delivered once more each time the database uses another
 *       2<sup>32</sup> (about 4.3 billion) transaction ids: a duplicate, never a gap.</li>
 *   <li><b>MariaDB and MySQL</b>: each read takes its upper bound (the newest cursor tuple) under
 *       {@code LOCK TABLES ... READ}, which waits until every transaction that wrote the table
 *       has ended (at most {@link Builder#settleTimeout}; then the read fails and nothing is
 *       read) and holds new writers off for the moment of one indexed query; the read then
 *       delivers the rows up to that bound. This relies on the database assigning cursor values
 *       as rows are written, in increasing order: {@code AUTO_INCREMENT}, or
 *       {@code CURRENT_TIMESTAMP(6)} defaults and {@code ON UPDATE} clauses in statements that
 *       do not wait on other tables. Rows written with an explicit older cursor value, or updated
 *       without changing the cursor, are not delivered again. Needs the {@code LOCK TABLES}
 *       privilege.</li>
 *   <li><b>Other databases</b> offer no such barrier; a cursor read there is refused unless
 *       {@link Builder#allowUnsettledCursor} accepts that late commits below the bookmark are
 *       missed.</li>
 * </ul>
 * Deleted rows are not delivered as deletions by any mode. Without state every run reads every
 * stream whole, by one query, as a consistent snapshot.
 *
 * <p>Instances are immutable; a source serves one pipeline run at a time.
 */
public final class JdbcSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSource.class);
    /** The most connections that read one stream by default. */
    private static final int MOST_READ_CONNECTIONS = 8;

    private final ConnectionFactory connections;
    private final Map<String, StreamSpec> streams;
    private final List<String> order;
    private final int fetchSize;
    private final int batchSize;
    private final ChunkedReader.Settings chunks;
    private final boolean allowDriverPacketLogging;
    private final TypeOptions typeOptions;
    private final boolean countFirst;
    private final int readConnections;
    private final Map<String, StreamPlan> plans = new HashMap<>();
    private Dialect dialect;

    /** What a stream reads: a table with columns and its replication, or a query. */
    private record StreamSpec(String table, List<String> columns, String query,
            ReadRequest request) {
    }

    /** Opens connections from a data source or a URL. */
    @FunctionalInterface
    private interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private JdbcSource(Builder builder) {
        this.connections = builder.connections();
        this.streams = Map.copyOf(builder.requests());
        this.order = List.copyOf(builder.streams.keySet());
        this.fetchSize = builder.fetchSize;
        this.batchSize = builder.batchSize;
        this.chunks = new ChunkedReader.Settings(builder.fetchSize, builder.batchSize,
                builder.chunkSize, builder.settleTimeout);
        this.allowDriverPacketLogging = builder.allowDriverPacketLogging;
        this.typeOptions = new TypeOptions(builder.outOfRange, builder.allowUnknownTypesAsText);
        this.countFirst = builder.countFirst;
        this.readConnections = builder.readConnections;
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
            StreamPlanner planner = new StreamPlanner(connection, dialect, typeOptions);
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
        return planner.planTable(stream, spec.table, spec.columns, spec.request);
    }

    /** Reads the whole stream by one query, as a consistent snapshot. */
    @Override
    public synchronized StreamReader open(StreamDescriptor stream) {
        return counted(stream, JdbcStreamReader.open(plan(stream), connect(), dialect, fetchSize,
                batchSize, countFirst));
    }

    /**
     * Tells how a run with state reads a stream: {@link ReplicationMode#FULL_REFRESH} that
     * starts over (query streams, tables without a key), {@link ReplicationMode#FULL_REFRESH}
     * in key order that resumes, or {@link ReplicationMode#INCREMENTAL}; the method names the
     * read method and its key columns.
     */
    @Override
    public synchronized Replication replication(StreamDescriptor stream) {
        return plan(stream).replication();
    }

    /**
     * Reads a stream in a run with state: in key-ordered chunks from the bookmark, or, for a
     * stream that cannot resume, by one query. A full refresh of a table whose key is one integer
     * column is read on {@link Builder#readConnections} connections at once.
     *
     * @throws ConfigurationException when a bookmark is given for a stream that cannot resume,
     *     or it belongs to another read method or key columns
     */
    @Override
    public synchronized StreamReader open(StreamDescriptor stream, Optional<Bookmark> from) {
        StreamPlan plan = plan(stream);
        if (plan.keyset().isEmpty()) {
            return Source.super.open(stream, from);
        }
        if (readConnections > 1 && ParallelReader.supports(plan)) {
            LOG.debug("stream '{}': read in key ranges on up to {} connections", stream.name(),
                    readConnections);
            return counted(stream, ParallelReader.open(plan, connections::open, dialect, chunks,
                    readConnections, from));
        }
        LOG.debug("stream '{}': read in key order on one connection", stream.name());
        return counted(stream, ChunkedReader.open(plan, connect(), dialect, chunks, from));
    }

    private StreamReader counted(StreamDescriptor stream, StreamReader reader) {
        return new CountingReader(reader, stream.name(), typeOptions);
    }

    private StreamPlan plan(StreamDescriptor stream) {
        StreamPlan plan = plans.get(stream.name());
        if (plan == null) {
            throw new IllegalStateException("stream '" + stream.name()
                    + "' was not discovered by this source");
        }
        return plan;
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
        private final Map<String, ReplicationMode> modes = new HashMap<>();
        private final Map<String, List<String>> cursors = new LinkedHashMap<>();
        private ReplicationMode mode = ReplicationMode.FULL_REFRESH;
        private int fetchSize = 1000;
        private int batchSize = 1000;
        private int chunkSize = 10_000;
        private Duration settleTimeout = Duration.ofSeconds(30);
        private boolean allowUnsettledCursor;
        private boolean allowDriverPacketLogging;
        private OutOfRangePolicy outOfRange = OutOfRangePolicy.FAIL;
        private boolean allowUnknownTypesAsText;
        private boolean countFirst;
        private int readConnections = Math.min(Runtime.getRuntime().availableProcessors(),
                MOST_READ_CONNECTIONS);

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
            return add(table, new StreamSpec(table, List.of(columns), null, null));
        }

        /**
         * Adds a stream over a query.
         *
         * @param stream the stream name
         * @param sql a SELECT statement
         * @return this builder
         */
        public Builder query(String stream, String sql) {
            return add(stream, new StreamSpec(null, List.of(), Objects.requireNonNull(sql, "sql"),
                    null));
        }

        private Builder add(String stream, StreamSpec spec) {
            StreamDescriptor.checkName(stream);
            if (streams.putIfAbsent(stream, spec) != null) {
                throw new ConfigurationException("stream '" + stream + "' is added twice");
            }
            return this;
        }

        /**
         * Sets the replication mode of every stream that {@link #mode(String, ReplicationMode)}
         * does not set; {@link ReplicationMode#FULL_REFRESH} by default. It matters only in a
         * pipeline with state.
         *
         * @param mode full refresh or incremental
         * @return this builder
         */
        public Builder mode(ReplicationMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Sets the replication mode of one stream. An incremental table stream reads by its
         * {@link #cursor(String, String...) cursor}, or, without one, by transaction id
         * (PostgreSQL only). Query streams are always read in full.
         *
         * @param stream the stream name
         * @param mode full refresh or incremental
         * @return this builder
         */
        public Builder mode(String stream, ReplicationMode mode) {
            modes.put(Objects.requireNonNull(stream, "stream"), Objects.requireNonNull(mode,
                    "mode"));
            return this;
        }

        /**
         * Sets the cursor of an incremental table stream: columns whose tuple orders rows by when
         * they were written, such as {@code ("updated_at", "id")}. Cursor columns must exist, be
         * NOT NULL and be of a number, date, timestamp or character type; discovery checks
         * that before anything is read. When the cursor does not identify rows by itself, the
         * table's primary key is appended.
         *
         * @param stream the stream name
         * @param columns the cursor columns, most significant first; at least one
         * @return this builder
         */
        public Builder cursor(String stream, String... columns) {
            if (columns.length == 0) {
                throw new ConfigurationException("stream '" + stream + "': a cursor needs at"
                        + " least one column");
            }
            cursors.put(Objects.requireNonNull(stream, "stream"), List.of(columns));
            return this;
        }

        /**
         * Sets how many rows one query of a chunked read returns at most; 10,000 by default.
         * Each chunk is read in a transaction of its own.
         *
         * @param rows at least 1
         * @return this builder
         */
        public Builder chunkSize(int rows) {
            this.chunkSize = rows;
            return this;
        }

        /**
         * Sets how many connections read one stream at once in a full refresh of a table whose
         * key is a single column of an integer type ({@code INT32} or {@code INT64}); by default
         * as many as the machine has processors, at most 8. 1 reads every stream on one
         * connection.
         *
         * <p>Such a read takes the lowest and highest key when it starts (or continues after the
         * bookmark's key), splits the keys into consecutive ranges of {@link #chunkSize} keys
         * (wider for a sparse key, so that there are at most about 10,000 ranges), and reads the
         * ranges on that many connections, each range by one query in a short transaction of its
         * own. The last range has no upper end, so rows inserted above the highest key while the
         * read goes on are read as well. Rows are delivered in key order, in the same batches and
         * with the same bookmarks as a read on one connection, so a failed run continues from its
         * last bookmark with either. Memory stays bounded: ranges are read at most this many
         * ahead of the one being delivered, each buffering a few batches.
         *
         * <p>Other streams (keys of several columns or of another type, incremental reads,
         * tables without a key, runs without state) fall back to one connection silently; the
         * reader chosen is logged at DEBUG with the stream's name. The connections come from the
         * data source or URL like any other and are all closed when the stream's reader is
         * closed; a data source must allow this many connections at once.
         *
         * @param connections at least 1
         * @return this builder
         */
        public Builder readConnections(int connections) {
            this.readConnections = connections;
            return this;
        }

        /**
         * Sets how long an incremental read on MariaDB or MySQL waits for the transactions
         * writing the table to end before it takes its bound; 30 seconds by default. New writers
         * of the table wait behind the read for as long, so keep it short.
         *
         * @param timeout at least one second
         * @return this builder
         */
        public Builder settleTimeout(Duration timeout) {
            this.settleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Allows incremental cursor reads on databases that offer no way to wait for the
         * transactions writing a table (neither PostgreSQL, MariaDB nor MySQL): a row such a
         * transaction commits after the read passed its cursor value is then never delivered.
         * Off by default, and discovery refuses such a read instead.
         *
         * @param allow true to allow it
         * @return this builder
         */
        public Builder allowUnsettledCursor(boolean allow) {
            this.allowUnsettledCursor = allow;
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

        /**
         * Sets what happens to a value the database accepts but {@code java.time} cannot hold: a
         * MariaDB or MySQL zero or impossible date, or a time beyond 24 hours.
         *
         * @param policy {@link OutOfRangePolicy#FAIL} (the default), {@code NULL} (counted) or
         *     {@code TEXT}
         * @return this builder
         */
        public Builder outOfRangeValues(OutOfRangePolicy policy) {
            this.outOfRange = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Allows columns of a type the source has no exact mapping for (such as PostgreSQL
         * {@code point}) to be read as {@code STRING}, holding the driver's text of each value.
         * Off by default: discovery then fails naming the stream, field and type.
         *
         * @param allow true to read unknown types as text
         * @return this builder
         */
        public Builder allowUnknownTypesAsText(boolean allow) {
            this.allowUnknownTypesAsText = allow;
            return this;
        }

        /**
         * Counts the rows of a stream before reading it, so that progress can tell the time
         * remaining ({@link StreamReader#expectedRecords()}); off by default, as the count is a
         * second pass over the table. Applies to streams read by one query (runs without state).
         *
         * @param count true to count first
         * @return this builder
         */
        public Builder countRowsFirst(boolean count) {
            this.countFirst = count;
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

        /** Attaches the replication asked for each table stream. */
        private Map<String, StreamSpec> requests() {
            Map<String, StreamSpec> specs = new LinkedHashMap<>();
            streams.forEach((name, spec) -> {
                ReplicationMode streamMode = modes.getOrDefault(name, mode);
                ReadRequest request = new ReadRequest(streamMode,
                        cursors.getOrDefault(name, List.of()), allowUnsettledCursor);
                specs.put(name, spec.query == null ? new StreamSpec(spec.table, spec.columns,
                        null, request) : spec);
            });
            return specs;
        }

        private void checkReplication() {
            modes.keySet().stream().filter(stream -> !streams.containsKey(stream)).findFirst()
                    .ifPresent(stream -> {
                        throw new ConfigurationException("JDBC source: a mode is set for stream '"
                                + stream + "', which was not added");
                    });
            cursors.keySet().forEach(this::checkCursor);
            streams.forEach((name, spec) -> {
                if (spec.query != null
                        && modes.getOrDefault(name, mode) == ReplicationMode.INCREMENTAL) {
                    throw new ConfigurationException("JDBC source: stream '" + name + "' is a"
                            + " query, which is always read in full; set its mode to"
                            + " FULL_REFRESH");
                }
            });
        }

        private void checkCursor(String stream) {
            StreamSpec spec = streams.get(stream);
            if (spec == null || spec.query != null) {
                throw new ConfigurationException("JDBC source: a cursor is set for stream '"
                        + stream + "', which is not a table stream");
            }
            if (modes.getOrDefault(stream, mode) != ReplicationMode.INCREMENTAL) {
                throw new ConfigurationException("JDBC source: stream '" + stream + "' has a"
                        + " cursor but is a full refresh; set its mode to INCREMENTAL");
            }
        }

        /**
         * Builds the source.
         *
         * @return the source
         * @throws ConfigurationException when no connection or no stream is set, or both a data
         *     source and a URL are, a size or readConnections is below 1, the settle timeout
         *     below a second, or a cursor or mode is set for a stream that is not a table stream,
         *     or a cursor for a full refresh
         */
        public JdbcSource build() {
            if ((dataSource == null) == (url == null)) {
                throw new ConfigurationException("JDBC source: set either dataSource or jdbcUrl");
            }
            if (streams.isEmpty()) {
                throw new ConfigurationException("JDBC source: add at least one table or query");
            }
            if (fetchSize < 1 || batchSize < 1 || chunkSize < 1) {
                throw new ConfigurationException("JDBC source: fetchSize, batchSize and"
                        + " chunkSize must be at least 1");
            }
            if (readConnections < 1) {
                throw new ConfigurationException("JDBC source: readConnections must be at least"
                        + " 1, not " + readConnections);
            }
            if (settleTimeout.toSeconds() < 1) {
                throw new ConfigurationException("JDBC source: settleTimeout must be at least"
                        + " one second");
            }
            checkReplication();
            return new JdbcSource(this);
        }
    }
}
