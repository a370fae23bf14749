package org.phicourier.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * The JSON settings of the HTTP sources: decimals read as exact {@link java.math.BigDecimal}s
 * with their scale kept ({@code 1.00} stays {@code 1.00}, as FHIR requires), and parsers that do
 * not close the stream they read.
 */
public final class Json {
    /** The mapper every HTTP source uses to build trees. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .build();

    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {
    }

    /**
     * Creates a streaming parser over a body.
     *
     * @param body the body; not closed by the parser
     * @return the parser
     * @throws IOException when the first bytes cannot be read
     */
    public static JsonParser parser(InputStream body) throws IOException {
        return FACTORY.createParser(body);
    }
}
