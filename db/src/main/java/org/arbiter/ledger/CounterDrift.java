package org.arbiter.ledger;

import org.arbiter.core.qos.Direction;

/**
 * A pool whose running use counter differs from the sum of its active holds.
 *
 * @param poolId the pool
 * @param direction the direction
 * @param counterBps what the pool row says
 * @param holdsBps what its active holds add up to
 */
public record CounterDrift(String poolId, Direction direction, long counterBps, long holdsBps) {}
