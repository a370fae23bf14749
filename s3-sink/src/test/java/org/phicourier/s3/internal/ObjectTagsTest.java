package org.phicourier.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectTagsTest {
    @Test
    void query_twoTags_sortedAndEncoded() {
        assertThat(ObjectTags.query(Map.of("stream", "patients", "classification", "phi data")))
                .contains("classification=phi%20data&stream=patients");
    }

    @Test
    void query_noTags_empty() {
        assertThat(ObjectTags.query(Map.of())).isEmpty();
    }

    @Test
    void problem_valueWithRefusedCharacter_namesTheTag() {
        assertThat(ObjectTags.problem(Map.of("classification", "phi;drop"))).get().asString()
                .contains("'classification'");
    }

    @Test
    void problem_elevenTags_namesTheLimit() {
        Map<String, String> tags = new java.util.HashMap<>();
        for (int i = 0; i < 11; i++) {
            tags.put("t" + i, "v");
        }

        assertThat(ObjectTags.problem(tags)).get().asString().contains("at most 10");
    }
}
