package dev.polyrun.queue;

import java.time.Duration;

/**
 * How loaded the jobs queue is, read at one instant.
 *
 * @param waiting entries no worker has read yet
 * @param pending entries read by a worker and not yet acknowledged
 * @param oldestWaitingAge how long the oldest waiting entry has waited ({@link Duration#ZERO} when
 *     none waits), measured by Redis's clock
 */
public record QueueLoad(long waiting, long pending, Duration oldestWaitingAge) {}
