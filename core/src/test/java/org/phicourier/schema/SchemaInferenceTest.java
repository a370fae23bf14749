package org.phicourier.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.phicourier.model.Field;
import org.phicourier.model.FieldType;
import org.phicourier.model.Schema;

class SchemaInferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> parse(String... lines) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void infer_fhirLikeRecords_givesExactTypesAndNullability() throws Exception {
        Schema schema = SchemaInference.infer(parse(
                "{\"resourceType\":\"Patient\",\"id\":1,\"weight\":70,\"active\":true,"
                        + "\"name\":[{\"family\":\"X\"}],\"code\":\"a\"}",
                "{\"resourceType\":\"Patient\",\"id\":2,\"weight\":70.5,\"active\":null,"
                        + "\"name\":[],\"code\":7}"));

        assertThat(schema.fields()).containsExactly(
                Field.builder("resourceType", FieldType.STRING).nullable(false).build(),
                Field.builder("id", FieldType.INT64).nullable(false).build(),
                Field.builder("weight", FieldType.DECIMAL).nullable(false).build(),
                Field.of("active", FieldType.BOOLEAN),
                Field.builder("name", FieldType.JSON).nullable(false).build(),
                Field.builder("code", FieldType.JSON).nullable(false).build());
    }

    @Test
    void infer_memberMissingFromSomeRecords_isNullable() throws Exception {
        Schema schema = SchemaInference.infer(parse("{\"a\":1,\"b\":\"x\"}", "{\"a\":2}"));

        assertThat(schema.field("b")).hasValueSatisfying(f -> assertThat(f.nullable()).isTrue());
        assertThat(schema.field("a")).hasValueSatisfying(f -> assertThat(f.nullable()).isFalse());
    }
}
