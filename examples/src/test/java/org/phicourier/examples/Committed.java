package org.phicourier.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.phicourier.crypto.Keyring;
import org.phicourier.s3.RecordReader;
import org.phicourier.s3.S3ObjectReader;
import org.phicourier.spi.StoredObject;
import org.phicourier.state.RunManifest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What the runs of a pipeline with state committed, as their manifests list it. */
final class Committed {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    Committed(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    List<RunManifest> manifests() {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + "/_manifests/"))
                .contents().stream().map(S3Object::key)
                .map(key -> RunManifest.fromJson(s3.getObjectAsBytes(r -> r.bucket(bucket)
                        .key(key)).asUtf8String())).toList();
    }

    List<StoredObject> objects() {
        return manifests().stream().flatMap(m -> m.objects().stream()).toList();
    }

    /** Every record of every committed object, decrypted. */
    List<ObjectNode> records(Keyring keyring) {
        S3ObjectReader reader = S3ObjectReader.builder().s3Client(s3).keyring(keyring)
                .allowPlainHttp(true).build();
        List<ObjectNode> records = new ArrayList<>();
        for (StoredObject object : objects()) {
            try (RecordReader each = reader.readRecords(bucket, object.key())) {
                each.forEachRemaining(records::add);
            }
        }
        return records;
    }

    /** Every key of a data object under a stream's folder, committed or not. */
    List<String> keysOf(String stream) {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + "/" + stream
                + "/")).contents().stream().map(S3Object::key).toList();
    }
}
