package dev.polyrun.sandbox;

import java.io.IOException;

/**
 * A job's work directory: a size- and inode-limited tmpfs owned by the sandbox user, shared by the
 * job's stages and removed when closed. Files may be written only before the first stage runs;
 * afterwards the worker never touches a path inside it.
 */
public interface WorkDir extends AutoCloseable {

  /**
   * Writes a file at a relative path (parents created). Refused once a stage has run.
   *
   * @throws IllegalStateException after a stage ran in this directory
   * @throws IllegalArgumentException for a path that is absolute or leaves the directory
   */
  void write(String relativePath, byte[] content) throws IOException;

  /** Unmounts and removes the directory. Idempotent. */
  @Override
  void close();
}
