package org.phicourier.interop;

import static org.phicourier.interop.Fixture.BUCKET;
import static org.phicourier.interop.Fixture.S3;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** An object's raw stored form (body, user metadata, instruction file), to alter in tests. */
final class StoredObject {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, String> metadata;
    final Map<String, String> instructionFile;
    byte[] body;

    private StoredObject(byte[] body, Map<String, String> metadata,
            Map<String, String> instructionFile) {
        this.body = body;
        this.metadata = metadata;
        this.instructionFile = instructionFile;
    }

    static StoredObject load(String key) {
        ResponseBytes<GetObjectResponse> object =
                S3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key));
        Map<String, String> file = new HashMap<>();
        try {
            byte[] json = S3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key + ".instruction"))
                    .asByteArray();
            JSON.readTree(json).properties().forEach(e -> file.put(e.getKey(),
                    e.getValue().asText()));
        } catch (NoSuchKeyException e) {
            file.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StoredObject(object.asByteArray(), new HashMap<>(object.response().metadata()),
                file);
    }

    void store(String key) {
        S3.putObject(r -> r.bucket(BUCKET).key(key).metadata(metadata),
                RequestBody.fromBytes(body));
        if (!instructionFile.isEmpty()) {
            try {
                byte[] json = JSON.writeValueAsBytes(instructionFile);
                S3.putObject(r -> r.bucket(BUCKET).key(key + ".instruction"),
                        RequestBody.fromBytes(json));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Flips one bit of a Base64 entry, wherever it is stored. */
    void flipEntry(String name) {
        Map<String, String> where = metadata.containsKey(name) ? metadata : instructionFile;
        byte[] value = Base64.getDecoder().decode(where.get(name));
        value[value.length / 2] ^= 1;
        where.put(name, Base64.getEncoder().encodeToString(value));
    }

    Optional<String> entry(String name) {
        return Optional.ofNullable(metadata.getOrDefault(name, instructionFile.get(name)));
    }
}
