/**
 * Schemas as a first-class part of a pipeline: declared rules checked on every record
 * ({@link org.phicourier.schema.SchemaCheck}), schemas as JSON
 * ({@link org.phicourier.schema.SchemaJson}) kept with the state and beside the data, and drift
 * between runs ({@link org.phicourier.schema.SchemaDrift}).
 */
package org.phicourier.schema;
