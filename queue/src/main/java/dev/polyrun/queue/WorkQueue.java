package dev.polyrun.queue;

import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Result;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The worker's view of the queue: take deliveries from the consumer group, publish their events and
 * results fenced by the delivery's attempt, acknowledge them.
 *
 * <p>Blocking and thread-safe. Throws {@link QueueUnavailableException} when Redis cannot be
 * reached and {@link QueueDataException} when stored data is unreadable.
 */
public interface WorkQueue extends AutoCloseable {

  /**
   * Takes over a job whose worker stopped renewing its lease, or else waits up to {@code block} for
   * the next new job, and starts a new attempt of it. Entries whose job is already final or expired
   * are acknowledged and skipped; a job past its maximum deliveries is moved to the dead-letter
   * stream, ends as INTERNAL_ERROR and is skipped. When the attempt before wrote events, an {@code
   * attempt_abandoned} event is appended to the job's stream in the same step, so a client
   * following it knows that what that attempt printed is void.
   */
  Optional<Delivery> take(String consumer, Duration block);

  /**
   * As {@link #take(String, Duration)}, from the queues named {@code queues} only ({@link
   * QueueNames}: a language's own, a version's): a worker takes only the jobs it can run. With
   * several queues, each is looked at in turn, so a call may return empty before {@code block}
   * passed.
   */
  default Optional<Delivery> take(String consumer, Duration block, Collection<String> queues) {
    return take(consumer, block);
  }

  /**
   * Renews the delivery's lease. Returns false when the job is final or another attempt holds it:
   * the caller must stop working on it.
   */
  boolean renew(Delivery delivery, String consumer);

  /**
   * Gives an unfinished delivery up (at shutdown): the next worker to take a job takes it over at
   * once instead of after the lease. Does nothing when another attempt holds the job.
   */
  void release(Delivery delivery, String consumer);

  /**
   * Records that worker {@code workerId} is alive and runs {@code jobIds}; the record expires after
   * {@code ttl} without a new heartbeat.
   */
  void heartbeat(String workerId, int slots, List<String> jobIds, Duration ttl);

  /**
   * As {@link #heartbeat(String, int, List, Duration)}, with the languages the worker runs (read by
   * {@link RedisQueueStats} for the slots serving each language).
   */
  default void heartbeat(
      String workerId, int slots, List<String> jobIds, Duration ttl, List<String> languages) {
    heartbeat(workerId, slots, jobIds, ttl);
  }

  /**
   * Where the job came from, for its trace: the W3C {@code traceparent} stored at submission and
   * the submission time. {@link JobOrigin#UNKNOWN} for a job without them.
   */
  default JobOrigin origin(String jobId) {
    return JobOrigin.UNKNOWN;
  }

  /**
   * Removes from the worker group the consumers that hold no job and have not read for {@code idle}
   * (dead workers), and {@code stopping} itself when it holds no job (null for none).
   */
  void pruneConsumers(Duration idle, String stopping);

  /** Jobs this instance moved to the dead-letter stream since it was created. */
  long deadLettered();

  /**
   * Appends an event of the delivery's job, and moves the job to {@code newState} when it is not
   * null. The worker numbers the events of an attempt 1, 2, ... ({@code seq}, the final result
   * included) and writes them one at a time in that order; the event is stamped with the attempt. A
   * call may be repeated after an ambiguous failure (a lost reply): a number the attempt already
   * wrote is dropped and the call returns true, so each event is in the stream once.
   *
   * @return true when the event is stored (now or by an earlier call), false when the job is final
   *     or another attempt holds it (nothing is written; the caller must stop)
   */
  boolean publish(Delivery delivery, long seq, JobEvent event, JobState newState);

  /**
   * Stores the final result and its event, ending the job in {@code finalState} (DONE or
   * CANCELLED); {@code seq} numbers it after the attempt's last event. The result is stamped with
   * the attempt; its event in the stream leaves out stdout and stderr (the stream carried them),
   * the stored record keeps them. A repeated call with the same attempt and number returns true
   * without writing: the caller then acknowledges as usual. Does not acknowledge the delivery.
   *
   * @return true when this attempt's result is stored (now or by an earlier call), false when the
   *     job ended otherwise or another attempt holds it
   */
  boolean complete(Delivery delivery, long seq, Result result, JobState finalState);

  /**
   * Acknowledges and deletes the delivery's stream entry once the job is final; does nothing for a
   * job that is not final (its delivery stays pending, to be reclaimed).
   */
  void ack(Delivery delivery);

  /** Whether a client asked to cancel the job. */
  boolean cancelRequested(String jobId);

  /**
   * Lists these languages (with their probed versions) for {@link JobQueue#languages()}, and marks
   * the queues of their versions served (and the language's own where a version is the default).
   */
  void advertise(List<Language> languages);

  @Override
  void close();
}
