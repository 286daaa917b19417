package dev.polyrun.coordinator.internal.telemetry;

import dev.polyrun.queue.QueueDepth;
import dev.polyrun.queue.QueueSnapshot;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Observable gauges of the queue, the workers' capacity and Redis, read from the latest snapshot: a
 * scrape never touches Redis, however often it comes. The per-language backlog per slot and the
 * oldest wait are the autoscaling signal (see the README's "Operating polyrun").
 */
public final class QueueGauges {
  private static final AttributeKey<String> LANGUAGE = AttributeKey.stringKey("language");
  private static final AttributeKey<String> STATE = AttributeKey.stringKey("state");
  private final AtomicReference<QueueDepth> depth = new AtomicReference<>(new QueueDepth(0, 0));
  private final AtomicReference<QueueSnapshot> snapshot = new AtomicReference<>();
  private volatile boolean redisUp = true;

  public QueueGauges(Meter meter) {
    meter
        .gaugeBuilder("polyrun.queue.depth")
        .ofLongs()
        .setUnit("{job}")
        .setDescription(
            "Jobs in the queue: waiting for a worker, or delivered and not yet acknowledged (pending)")
        .buildWithCallback(
            m -> {
              QueueDepth d = depth.get();
              m.record(d.waiting(), Attributes.of(STATE, "waiting"));
              m.record(d.pending(), Attributes.of(STATE, "pending"));
            });
    perLanguage(
        meter
            .gaugeBuilder("polyrun.queue.waiting")
            .ofLongs()
            .setUnit("{job}")
            .setDescription("Jobs waiting for a worker, by language"),
        QueueSnapshot.Backlog::waiting);
    meter
        .gaugeBuilder("polyrun.queue.oldest_age")
        .setUnit("s")
        .setDescription("How long the oldest job waiting for a worker has waited, by language")
        .buildWithCallback(
            m ->
                languages()
                    .forEach(
                        (lang, b) ->
                            m.record(
                                b.oldestWaiting().toMillis() / 1000.0,
                                Attributes.of(LANGUAGE, lang))));
    meter
        .gaugeBuilder("polyrun.queue.backlog_per_slot")
        .setUnit("{job}")
        .setDescription(
            "Waiting jobs per slot of the live workers that run the language (the waiting jobs "
                + "themselves when no slot does): the autoscaling signal, with the oldest age")
        .buildWithCallback(
            m ->
                languages()
                    .forEach((lang, b) -> m.record(b.perSlot(), Attributes.of(LANGUAGE, lang))));
    perLanguage(
        meter
            .gaugeBuilder("polyrun.cluster.slots")
            .ofLongs()
            .setUnit("{slot}")
            .setDescription("Slots of the live workers that run the language"),
        QueueSnapshot.Backlog::slots);
    perLanguage(
        meter
            .gaugeBuilder("polyrun.cluster.slots.busy")
            .ofLongs()
            .setUnit("{slot}")
            .setDescription("Busy slots of the live workers that run the language"),
        QueueSnapshot.Backlog::busySlots);
    whole(
        meter,
        "polyrun.queue.in_flight",
        "{job}",
        "Jobs delivered to a worker and not yet acknowledged",
        QueueSnapshot::inFlight);
    whole(
        meter,
        "polyrun.queue.sampled",
        "1",
        "1 when more jobs waited than were read, so per-language counts "
            + "are scaled from a sample",
        s -> s.sampled() ? 1L : 0L);
    whole(
        meter,
        "polyrun.queue.dead_letters",
        "{job}",
        "Entries in the dead-letter stream (capped near 10,000)",
        QueueSnapshot::deadLetters);
    whole(
        meter,
        "polyrun.cluster.workers",
        "{worker}",
        "Live workers (their heartbeat has not expired)",
        s -> (long) s.workers().size());
    meter
        .gaugeBuilder("polyrun.cluster.heartbeat.max_age")
        .setUnit("s")
        .setDescription("Age of the oldest heartbeat among live workers (they beat every 5 s)")
        .buildWithCallback(
            m ->
                ifPresent(
                    s ->
                        m.record(
                            s.workers().stream().mapToLong(w -> w.age().toMillis()).max().orElse(0)
                                / 1000.0)));
    meter
        .gaugeBuilder("polyrun.redis.up")
        .ofLongs()
        .setUnit("1")
        .setDescription("1 when the coordinator's last read of Redis succeeded")
        .buildWithCallback(m -> m.record(redisUp ? 1 : 0));
    redis(meter);
  }

  private void redis(Meter meter) {
    whole(
        meter,
        "polyrun.redis.memory.used",
        "By",
        "Redis used_memory",
        s -> s.redis().usedMemoryBytes());
    whole(
        meter,
        "polyrun.redis.memory.limit",
        "By",
        "Redis maxmemory (0: no limit)",
        s -> s.redis().maxMemoryBytes());
    meter
        .gaugeBuilder("polyrun.redis.clients")
        .ofLongs()
        .setUnit("{client}")
        .setDescription("Redis clients, connected and blocked")
        .buildWithCallback(
            m ->
                ifPresent(
                    s -> {
                      m.record(s.redis().connectedClients(), Attributes.of(STATE, "connected"));
                      m.record(s.redis().blockedClients(), Attributes.of(STATE, "blocked"));
                    }));
    meter
        .counterBuilder("polyrun.redis.evicted_keys")
        .setUnit("{key}")
        .setDescription(
            "Keys Redis evicted since it started (polyrun needs noeviction: any is data lost)")
        .buildWithCallback(m -> ifPresent(s -> m.record(s.redis().evictedKeys())));
    meter
        .counterBuilder("polyrun.redis.rejected_connections")
        .setUnit("{connection}")
        .setDescription("Connections Redis refused (maxclients) since it started")
        .buildWithCallback(m -> ifPresent(s -> m.record(s.redis().rejectedConnections())));
  }

  private void perLanguage(
      io.opentelemetry.api.metrics.LongGaugeBuilder builder,
      Function<QueueSnapshot.Backlog, Long> value) {
    builder.buildWithCallback(
        m ->
            languages()
                .forEach((lang, b) -> m.record(value.apply(b), Attributes.of(LANGUAGE, lang))));
  }

  private void whole(
      Meter meter,
      String name,
      String unit,
      String description,
      Function<QueueSnapshot, Long> value) {
    meter
        .gaugeBuilder(name)
        .ofLongs()
        .setUnit(unit)
        .setDescription(description)
        .buildWithCallback(
            (ObservableLongMeasurement m) -> ifPresent(s -> m.record(value.apply(s))));
  }

  private void ifPresent(java.util.function.Consumer<QueueSnapshot> use) {
    QueueSnapshot s = snapshot.get();
    if (s != null) {
      use.accept(s);
    }
  }

  private Map<String, QueueSnapshot.Backlog> languages() {
    QueueSnapshot s = snapshot.get();
    return s == null ? Map.of() : s.languages();
  }

  public void depth(QueueDepth latest) {
    redisUp = true;
    depth.set(latest);
  }

  /** The latest snapshot, or null when Redis did not answer (the last figures stay). */
  public void snapshot(QueueSnapshot latest) {
    redisUp = latest != null;
    if (latest != null) {
      snapshot.set(latest);
      depth.set(new QueueDepth(latest.waiting(), latest.inFlight()));
    }
  }
}
