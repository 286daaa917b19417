package dev.polyrun.sandbox;

/**
 * Receives a stage's output as the program prints it. Called from the sandbox's reader threads, one
 * per stream, so implementations must be thread-safe. The arrays are not reused after the call
 * returns.
 */
public interface OutputListener {
  void stdout(byte[] chunk);

  void stderr(byte[] chunk);

  /** A listener that drops everything. */
  static OutputListener discard() {
    return new OutputListener() {
      @Override
      public void stdout(byte[] chunk) {}

      @Override
      public void stderr(byte[] chunk) {}
    };
  }
}
