package dev.polyrun.sandbox;

import java.io.IOException;

/**
 * Runs programs in fresh containers. One instance serves all of a worker's slots: methods are
 * thread-safe.
 */
public interface Sandbox extends AutoCloseable {

  /**
   * Creates a job's work directory.
   *
   * @param jobId the job's id, used in the directory's name
   * @param sizeBytes size limit of the directory's tmpfs
   * @param inodes inode limit of the directory's tmpfs
   */
  WorkDir createWorkDir(String jobId, long sizeBytes, long inodes) throws IOException;

  /**
   * Runs one stage in a new container and returns when every process of it is gone and the
   * container is deleted. Output reaches the listener as it is printed, up to the output limit.
   * A failure of the sandbox itself is reported as {@link StageResult.Termination#SANDBOX_FAILURE},
   * not thrown.
   *
   * @throws InterruptedException when the calling thread is interrupted; the stage is killed first
   */
  StageResult run(StageSpec spec, OutputListener output) throws InterruptedException;

  /**
   * Removes what an earlier, crashed worker left behind: containers, cgroups, mounts and work
   * directories under this sandbox's state directory. Call once at start, before any stage.
   */
  void sweep();

  @Override
  void close();
}
