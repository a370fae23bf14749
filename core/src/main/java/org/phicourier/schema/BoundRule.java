package org.phicourier.schema;

/**
 * One constraint bound to a field position of a stream.
 *
 * @param index the field position
 * @param id the rule id, {@code <field>.<constraint>}
 * @param constraint the constraint
 * @param policy what a violation leads to
 */
record BoundRule(int index, String id, Constraint constraint, ViolationPolicy policy) {
    boolean violatedBy(org.phicourier.model.Field field, Object value) {
        if (constraint instanceof Constraint.Required) {
            return value == null;
        }
        return value != null && !constraint.holds(field, value);
    }
}
