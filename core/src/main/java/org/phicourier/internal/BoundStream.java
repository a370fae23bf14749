package org.phicourier.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phicourier.ConfigurationException;
import org.phicourier.model.RowBatch;
import org.phicourier.model.Schema;
import org.phicourier.spi.QuarantineNote;
import org.phicourier.spi.StreamDescriptor;
import org.phicourier.spi.StreamTransform;
import org.phicourier.spi.Transformer;

/**
 * A stream with its transformations bound and its final schema known.
 *
 * @param input the stream as the source describes it
 * @param transforms the bound transformations, in order
 * @param outputSchema the schema of the records the sink receives
 */
record BoundStream(StreamDescriptor input, List<StreamTransform> transforms,
        Schema outputSchema) {

    /** Binds every transformer to every stream, failing before anything is read. */
    static List<BoundStream> bindAll(List<StreamDescriptor> discovered,
            List<Transformer> transformers) {
        if (discovered.isEmpty()) {
            throw new ConfigurationException("the source delivers no streams");
        }
        List<BoundStream> bound = new ArrayList<>();
        for (StreamDescriptor input : discovered) {
            StreamDescriptor current = input;
            List<StreamTransform> transforms = new ArrayList<>();
            for (Transformer transformer : transformers) {
                StreamTransform transform = transformer.bind(current);
                transforms.add(transform);
                current = current.withSchema(transform.outputSchema());
            }
            bound.add(new BoundStream(input, transforms, current.schema()));
        }
        return bound;
    }

    /** Returns this stream with one more transformation at its end. */
    BoundStream with(StreamTransform last) {
        List<StreamTransform> all = new ArrayList<>(transforms);
        all.add(last);
        return new BoundStream(input, List.copyOf(all), last.outputSchema());
    }

    String name() {
        return input.name();
    }

    /** Applies the transformations to one batch. */
    RowBatch apply(RowBatch batch) {
        RowBatch result = batch;
        for (StreamTransform transform : transforms) {
            result = transform.apply(result);
        }
        return result;
    }

    /**
     * Applies the transformations to one batch and collects what they set aside into a
     * quarantine while doing so.
     */
    Transformed transform(RowBatch batch) {
        RowBatch result = apply(batch);
        List<QuarantineNote> notes = new ArrayList<>();
        for (StreamTransform transform : transforms) {
            notes.addAll(transform.takeQuarantined());
        }
        return new Transformed(result, notes);
    }

    /**
     * Returns this stream with a copy of every transformation, or nothing when one of them must
     * see every batch (see {@link StreamTransform#copy()}).
     */
    Optional<BoundStream> copy() {
        List<StreamTransform> copies = new ArrayList<>();
        for (StreamTransform transform : transforms) {
            Optional<StreamTransform> copy = transform.copy();
            if (copy.isEmpty()) {
                return Optional.empty();
            }
            copies.add(copy.get());
        }
        return Optional.of(new BoundStream(input, List.copyOf(copies), outputSchema));
    }

    /**
     * One transformed batch and the records set aside while transforming it.
     *
     * @param batch the records for the sink
     * @param quarantined what was set aside, in order: rule, field and position
     */
    record Transformed(RowBatch batch, List<QuarantineNote> quarantined) {
    }
}
