package org.phicourier.spi;

/**
 * Changes records on their way from source to sink: masks, checks or reshapes them.
 *
 * <p>A pipeline binds each transformer to each stream before any record is read, so that a
 * transformer can refuse a stream it has no rules for (failing closed) and declare the schema it
 * produces. Implementations are immutable and thread-safe.
 */
public interface Transformer {
    /**
     * Prepares this transformer for one stream.
     *
     * @param input the stream as it arrives at this transformer
     * @return the transformation for that stream
     * @throws org.phicourier.ConfigurationException when the transformer cannot handle the
     *     stream, for example when a field has no rule
     */
    StreamTransform bind(StreamDescriptor input);

    /**
     * Names the rules this transformer applies, for the audit trail.
     *
     * @return the policy; by default the class name without a hash
     */
    default TransformPolicy policy() {
        return new TransformPolicy(getClass().getName(), "");
    }
}
