package dev.polyrun.loadtest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/** Collects outcomes from many threads; thread-safe. Outcomes are kept whole for the report. */
public final class Recorder {
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

  public void add(Outcome outcome) {
    outcomes.add(outcome);
  }

  /** Every outcome so far, in no particular order. */
  public List<Outcome> all() {
    return new ArrayList<>(outcomes);
  }

  /** The outcomes that match. */
  public List<Outcome> where(Predicate<Outcome> filter) {
    return outcomes.stream().filter(filter).toList();
  }

  public int size() {
    return outcomes.size();
  }
}
