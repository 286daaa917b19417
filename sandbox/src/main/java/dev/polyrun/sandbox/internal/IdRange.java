package dev.polyrun.sandbox.internal;

/**
 * Host uids and gids {@code [first, first + size)} one slot's containers map to; container id
 * {@code n} is host id {@code first + n}.
 */
record IdRange(int first, int size) {
  IdRange {
    if (first < 0 || size <= 0 || (long) first + size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "id range: " + first + "+" + size + " (expected: within 0 to 2^31)");
    }
  }

  long end() {
    return (long) first + size;
  }

  int hostId(int containerId) {
    return first + containerId;
  }

  boolean overlaps(long otherFirst, long otherEnd) {
    return first < otherEnd && otherFirst < end();
  }

  boolean contains(long id) {
    return id >= first && id < end();
  }

  @Override
  public String toString() {
    return first + "-" + (end() - 1);
  }
}
