/** PHI Courier JDBC source: tables and queries of any JDBC database, streamed. */
module org.phicourier.jdbc {
    requires transitive org.phicourier.core;
    requires transitive java.sql;
    requires org.slf4j;

    exports org.phicourier.jdbc;
}
