package dev.polyrun.queue;

import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Result;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The worker's view of the queue: take deliveries from the consumer group, publish their events
 * and results fenced by the delivery's attempt, acknowledge them.
 *
 * <p>Blocking and thread-safe. Throws {@link QueueUnavailableException} when Redis cannot be
 * reached and {@link QueueDataException} when stored data is unreadable.
 */
public interface WorkQueue extends AutoCloseable {

  /**
   * Waits up to {@code block} for the next job for consumer {@code consumer} and starts a new
   * attempt of it. Entries whose job is already final or expired are acknowledged and skipped.
   */
  Optional<Delivery> take(String consumer, Duration block);

  /**
   * Appends an event of the delivery's job, and moves the job to {@code newState} when it is not
   * null. Returns false, writing nothing, when the job is final or another attempt holds it.
   */
  boolean publish(Delivery delivery, JobEvent event, JobState newState);

  /**
   * Stores the final result and its event, ending the job in {@code finalState} (DONE or
   * CANCELLED). Returns false, writing nothing, when the job is already final or another attempt
   * holds it. Does not acknowledge the delivery.
   */
  boolean complete(Delivery delivery, Result result, JobState finalState);

  /** Acknowledges the delivery's stream entry; call after {@link #complete}. */
  void ack(Delivery delivery);

  /** Whether a client asked to cancel the job. */
  boolean cancelRequested(String jobId);

  /** Lists these languages (with their probed versions) for {@link JobQueue#languages()}. */
  void advertise(List<Language> languages);

  @Override
  void close();
}
