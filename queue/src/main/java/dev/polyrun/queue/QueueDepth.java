package dev.polyrun.queue;

/**
 * Size of the jobs stream as the worker group sees it.
 *
 * @param waiting entries no worker has read yet
 * @param pending entries read by a worker and not yet acknowledged
 */
public record QueueDepth(long waiting, long pending) {}
