package dev.polyrun.queue;

/**
 * A snapshot of a client's Redis connection pool.
 *
 * @param active connections lent out to commands now
 * @param idle open connections waiting in the pool
 * @param waiting threads waiting for a connection now
 * @param max most connections the pool opens
 */
public record ConnectionStats(int active, int idle, int waiting, int max) {}
