/**
 * PHI Courier core: the record model, the source, transformer and sink contracts, the pipeline,
 * masking, envelope encryption, and the state that lets runs resume.
 */
module org.phicourier.core {
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires org.bouncycastle.provider;

    exports org.phicourier;
    exports org.phicourier.model;
    exports org.phicourier.spi;
    exports org.phicourier.state;
    exports org.phicourier.masking;
    exports org.phicourier.deid;
    exports org.phicourier.schema;
    exports org.phicourier.files;
    exports org.phicourier.crypto;
    exports org.phicourier.audit;
    exports org.phicourier.metrics;
    exports org.phicourier.internal to org.phicourier.s3;
    exports org.phicourier.crypto.internal to org.phicourier.s3, org.phicourier.http;
}
