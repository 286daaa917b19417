package dev.polyrun.loadtest.internal;

import dev.polyrun.client.PolyrunClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Several clients (one channel, so one HTTP/2 connection, each) handed out in turns: a server
 * limits the streams of one connection (Vert.x: 100), so a load of many open streams needs more
 * than one. Thread-safe; closing closes every client.
 */
public final class ClientPool implements AutoCloseable {
  private final List<PolyrunClient> clients;
  private final List<Caller> callers;

  public ClientPool(int size, Supplier<PolyrunClient> factory) {
    if (size < 1) {
      throw new IllegalArgumentException("channels: " + size + " (expected: >= 1)");
    }
    clients = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      clients.add(factory.get());
    }
    callers = clients.stream().map(Caller::new).toList();
  }

  /** The client for the {@code i}-th caller or request. */
  public PolyrunClient client(long i) {
    return clients.get((int) Math.floorMod(i, (long) clients.size()));
  }

  /** A caller on the client for the {@code i}-th caller or request. */
  public Caller caller(long i) {
    return callers.get((int) Math.floorMod(i, (long) callers.size()));
  }

  public int size() {
    return clients.size();
  }

  @Override
  public void close() {
    clients.forEach(PolyrunClient::close);
  }
}
