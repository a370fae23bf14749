package org.phicourier.http.internal;

import java.util.concurrent.atomic.AtomicInteger;

/** The retries a source may still spend over all its requests. Thread-safe. */
public final class RetryBudget {
    private final int total;
    private final AtomicInteger left;

    /**
     * Creates a budget.
     *
     * @param retries the retries allowed in total
     */
    public RetryBudget(int retries) {
        this.total = retries;
        this.left = new AtomicInteger(retries);
    }

    /**
     * Spends one retry when any is left.
     *
     * @return true when a retry was available
     */
    public boolean spend() {
        return left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /**
     * Returns the size of the budget.
     *
     * @return the retries allowed in total
     */
    public int total() {
        return total;
    }

    @Override
    public String toString() {
        return "RetryBudget[" + left.get() + " of " + total + " left]";
    }
}
