/** PHI Courier HTTP source: records from REST and FHIR APIs and webhooks. */
module org.phicourier.http {
    requires transitive org.phicourier.core;
    requires java.net.http;
    requires org.slf4j;
}
