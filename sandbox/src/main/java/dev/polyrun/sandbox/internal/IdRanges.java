package dev.polyrun.sandbox.internal;

import dev.polyrun.sandbox.SandboxPolicy;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * The host id ranges of one worker, one per slot, claimed for the worker's life. A claim is a file
 * {@code <first>-<size>.claim} in a host-wide directory (default {@code /run/polyrun/ids}) held
 * under a lock, so it disappears with its process however that ends. Ranges never overlap another
 * live worker's, nor {@code /etc/subuid} or {@code /etc/subgid} entries (ids the host gave to other
 * containers). A range is lent to one work directory at a time.
 */
final class IdRanges implements AutoCloseable {
  /** Serialises claims within this JVM; the lock file does it between processes. */
  private static final Object CLAIMING = new Object();

  private final List<IdRange> all;
  private final List<FileChannel> held;
  private final List<Path> claimFiles;
  private final Deque<IdRange> free;

  private IdRanges(List<IdRange> all, List<FileChannel> held, List<Path> claimFiles) {
    this.all = List.copyOf(all);
    this.held = held;
    this.claimFiles = claimFiles;
    this.free = new ArrayDeque<>(all);
  }

  /**
   * Claims {@code slots} ranges of {@code ids.rangeSize()} ids from {@code ids.base()} on: the
   * first ones that are free when {@code ids.search()}, else exactly those at the base.
   *
   * @param hostFiles files listing ids given to others ({@code name:first:count} lines)
   * @throws IOException naming the conflict when the ranges are taken
   */
  static IdRanges claim(SandboxPolicy.Ids ids, int slots, Path claims, List<Path> hostFiles)
      throws IOException {
    synchronized (CLAIMING) {
      Files.createDirectories(claims);
      try (FileChannel lockFile =
              FileChannel.open(
                  claims.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = lockFile.lock()) {
        List<long[]> taken = liveClaims(claims);
        List<long[]> host = new ArrayList<>();
        for (Path f : hostFiles) {
          host.addAll(subordinateIds(f));
        }
        List<IdRange> chosen = choose(ids, slots, taken, host, claims, hostFiles);
        List<FileChannel> held = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try {
          for (IdRange r : chosen) {
            Path file = claims.resolve(r.first() + "-" + r.size() + ".claim");
            held.add(hold(file));
            files.add(file);
          }
        } catch (IOException | RuntimeException e) {
          closeAll(held);
          throw e;
        }
        return new IdRanges(chosen, held, files);
      }
    }
  }

  private static List<IdRange> choose(
      SandboxPolicy.Ids ids,
      int slots,
      List<long[]> taken,
      List<long[]> host,
      Path claims,
      List<Path> hostFiles)
      throws IOException {
    List<IdRange> chosen = new ArrayList<>();
    for (long first = ids.base(); chosen.size() < slots; first += ids.rangeSize()) {
      if (first + ids.rangeSize() > Integer.MAX_VALUE) {
        throw new IOException(
            "no free host id range of " + ids.rangeSize() + " ids from " + ids.base() + " on");
      }
      IdRange candidate = new IdRange((int) first, ids.rangeSize());
      String conflict = conflict(candidate, taken, "a worker's claim in " + claims);
      if (conflict == null) {
        conflict =
            conflict(
                candidate,
                host,
                String.join(" or ", hostFiles.stream().map(Path::toString).toList()));
      }
      if (conflict == null) {
        chosen.add(candidate);
      } else if (!ids.search()) {
        throw new IOException(
            "host ids "
                + candidate
                + " for slot "
                + (chosen.size() + 1)
                + " overlap "
                + conflict
                + " (expected: a free range; set ids.base elsewhere, or ids.search to true)");
      }
    }
    return chosen;
  }

  private static String conflict(IdRange r, List<long[]> others, String what) {
    for (long[] o : others) {
      if (r.overlaps(o[0], o[0] + o[1])) {
        return o[0] + "-" + (o[0] + o[1] - 1) + " of " + what;
      }
    }
    return null;
  }

  /** Claims whose lock is held (by another process or this JVM); stale ones are removed. */
  private static List<long[]> liveClaims(Path claims) throws IOException {
    List<long[]> live = new ArrayList<>();
    try (Stream<Path> list = Files.list(claims)) {
      for (Path p : list.toList()) {
        String name = p.getFileName().toString();
        if (!name.matches("\\d+-\\d+\\.claim")) {
          continue;
        }
        String[] parts = name.substring(0, name.length() - ".claim".length()).split("-");
        long[] range = {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        if (isHeld(p)) {
          live.add(range);
        } else {
          Files.deleteIfExists(p);
        }
      }
    }
    return live;
  }

  private static boolean isHeld(Path claim) throws IOException {
    try (FileChannel ch = FileChannel.open(claim, StandardOpenOption.WRITE)) {
      FileLock probe = ch.tryLock();
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static FileChannel hold(Path claim) throws IOException {
    FileChannel ch = FileChannel.open(claim, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      if (ch.tryLock() == null) {
        throw new IOException("claim " + claim + " is held by another process");
      }
      ch.truncate(0);
      ch.write(StandardCharsets.UTF_8.encode("pid " + ProcessHandle.current().pid() + "\n"));
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Entries of an /etc/subuid-style file as {first, count}; a missing file has none. */
  static List<long[]> subordinateIds(Path file) throws IOException {
    List<long[]> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.trim().split(":");
      if (f.length == 3 && f[1].matches("\\d+") && f[2].matches("\\d+")) {
        out.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    return out;
  }

  /** Every range of this worker, one per slot. */
  List<IdRange> all() {
    return all;
  }

  /** Lends a range to a work directory. */
  synchronized IdRange acquire() throws IOException {
    IdRange r = free.pollFirst();
    if (r == null) {
      throw new IOException(
          "every host id range is in use ("
              + all.size()
              + ", one per slot): more work directories"
              + " are open than the sandbox has slots");
    }
    return r;
  }

  synchronized void release(IdRange r) {
    if (all.contains(r) && !free.contains(r)) {
      free.addFirst(r);
    }
  }

  /** Gives the ranges back. Idempotent. */
  @Override
  public synchronized void close() {
    for (Path f : claimFiles) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        // a stale claim is removed by the next worker that claims
      }
    }
    closeAll(held);
    held.clear();
  }

  private static void closeAll(List<FileChannel> channels) {
    for (FileChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException e) {
        // the lock goes with the process anyway
      }
    }
  }
}
