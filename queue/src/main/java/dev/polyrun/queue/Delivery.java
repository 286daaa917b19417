package dev.polyrun.queue;

import dev.polyrun.proto.v1.SubmitRequest;

/**
 * One delivery of a job to a worker.
 *
 * @param entryId id of the job's entry in its queue's jobs stream, acknowledged when done
 * @param jobId the job's id
 * @param attempt the delivery's attempt number, starting at 1; fences every write
 * @param request the job's specification as the coordinator stored it
 * @param reclaimed whether the job was taken over from a worker that stopped renewing its lease
 * @param queue the queue the job was taken from (its language, or one shard of it)
 */
public record Delivery(
    String entryId,
    String jobId,
    int attempt,
    SubmitRequest request,
    boolean reclaimed,
    String queue) {}
