package org.phicourier.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database server for integration tests (the machine's PostgreSQL or MariaDB), with a scratch
 * schema per test that is dropped again.
 *
 * <p>The URLs default to the local services and can be changed with the environment variables
 * {@code PHI_COURIER_POSTGRES_URL} and {@code PHI_COURIER_MARIADB_URL}.
 */
public final class TestDatabase {
    private final String name;
    private final String baseUrl;
    private final String user;

    private TestDatabase(String name, String baseUrl, String user) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.user = user;
    }

    /**
     * The local PostgreSQL server, database {@code test}.
     *
     * @return the server
     */
    public static TestDatabase postgres() {
        return new TestDatabase("PostgreSQL", env("PHI_COURIER_POSTGRES_URL",
                "jdbc:postgresql://127.0.0.1:5432/test"), "postgres");
    }

    /**
     * The local MariaDB server, database {@code test}.
     *
     * @return the server
     */
    public static TestDatabase mariadb() {
        return new TestDatabase("MariaDB", env("PHI_COURIER_MARIADB_URL",
                "jdbc:mariadb://127.0.0.1:3306/test"), "root");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * Returns the server's name for messages.
     *
     * @return PostgreSQL or MariaDB
     */
    public String name() {
        return name;
    }

    /**
     * Returns the user tests connect as.
     *
     * @return the user name
     */
    public String user() {
        return user;
    }

    /**
     * Tells whether the server accepts a connection now.
     *
     * @return true when reachable
     */
    public boolean isAvailable() {
        try (Connection connection = DriverManager.getConnection(baseUrl, user, "")) {
            return connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Creates a fresh, empty schema (a database on MariaDB) that {@link Scratch#close()} drops.
     *
     * @return the scratch schema
     * @throws SQLException when the server refuses
     */
    public Scratch createScratch() throws SQLException {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(baseUrl, user, "");
                Statement statement = connection.createStatement()) {
            statement.execute(isMariaDb() ? "CREATE DATABASE " + schema
                    : "CREATE SCHEMA " + schema);
        }
        return new Scratch(schema);
    }

    private boolean isMariaDb() {
        return baseUrl.startsWith("jdbc:mariadb:") || baseUrl.startsWith("jdbc:mysql:");
    }

    @Override
    public String toString() {
        return name + "[" + baseUrl + "]";
    }

    /** A schema of its own for one test, dropped on close. */
    public final class Scratch implements AutoCloseable {
        private final String schema;

        private Scratch(String schema) {
            this.schema = schema;
        }

        /**
         * Returns the schema (database) name.
         *
         * @return the name
         */
        public String schema() {
            return schema;
        }

        /**
         * Returns a JDBC URL whose unqualified tables resolve in this schema.
         *
         * @return the URL
         */
        public String url() {
            if (isMariaDb()) {
                return baseUrl.substring(0, baseUrl.lastIndexOf('/') + 1) + schema;
            }
            return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }

        /**
         * Returns the user to connect as.
         *
         * @return the user name
         */
        public String user() {
            return user;
        }

        /**
         * Opens a connection to this schema.
         *
         * @return a new connection; the caller closes it
         * @throws SQLException when the server refuses
         */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url(), user, "");
        }

        /**
         * Runs statements in this schema.
         *
         * @param sql the statements, in order
         * @throws SQLException when one fails
         */
        public void execute(String... sql) throws SQLException {
            try (Connection connection = connect();
                    Statement statement = connection.createStatement()) {
                for (String each : sql) {
                    statement.execute(each);
                }
            }
        }

        @Override
        public void close() throws SQLException {
            try (Connection connection = DriverManager.getConnection(baseUrl, user, "");
                    Statement statement = connection.createStatement()) {
                statement.execute(isMariaDb() ? "DROP DATABASE IF EXISTS " + schema
                        : "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }

        @Override
        public String toString() {
            return name + " scratch " + schema;
        }
    }
}
