/**
 * PHI Courier HTTP source: records from REST and FHIR APIs and webhooks.
 *
 * <p>{@code org.phicourier.http} holds the REST source and what every HTTP source shares (auth,
 * secrets, retries, pagination); {@code org.phicourier.http.fhir} the FHIR search and Bulk Data
 * sources; {@code org.phicourier.http.webhook} the webhook receiver, its encrypted spool and the
 * source that drains it. Incremental reads keep their bookmarks in the pipeline's state
 * ({@code Pipeline.Builder#state}).
 */
module org.phicourier.http {
    requires transitive org.phicourier.core;
    requires java.net.http;
    requires jdk.httpserver;
    requires org.slf4j;
    requires org.bouncycastle.provider;

    exports org.phicourier.http;
    exports org.phicourier.http.fhir;
    exports org.phicourier.http.webhook;
}
