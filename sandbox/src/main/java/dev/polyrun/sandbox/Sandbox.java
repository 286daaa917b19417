package dev.polyrun.sandbox;

import dev.polyrun.sandbox.internal.RuncSandbox;
import java.io.IOException;

/**
 * Runs programs in fresh containers. One instance serves all of a worker's slots: methods are
 * thread-safe.
 */
public interface Sandbox extends AutoCloseable {

  /**
   * Starts a sandbox on this host with an OCI runtime (runc by default): claims a host id range per
   * slot, checks the runtime and the cgroup hierarchy, and runs a probe container under the policy
   * to see that every feature it asks for takes effect. Call {@link #sweep()} next.
   *
   * @throws SandboxUnavailableException when a feature the policy asks for does not take effect, or
   *     the id ranges are taken: the message names what and how to loosen it
   * @throws IOException when the state directory cannot be made
   */
  static Sandbox open(SandboxOptions options) throws IOException {
    return RuncSandbox.open(options);
  }

  /** What the sandbox found on its host at start: runtime, cgroups, features in effect. */
  RuntimeFacts facts();

  /**
   * The policy stages run under when their language changes nothing: defaults and the operator's.
   */
  SandboxPolicy policy();

  /**
   * Creates a job's work directory. It holds one slot's host id range until closed: open at most as
   * many at once as the sandbox has slots.
   *
   * @param jobId the job's id, used in the directory's name
   * @param sizeBytes size limit of the directory's tmpfs
   * @param inodes inode limit of the directory's tmpfs
   * @throws IOException also when every slot's range is in use
   */
  WorkDir createWorkDir(String jobId, long sizeBytes, long inodes) throws IOException;

  /**
   * Runs one stage in a new container and returns when every process of it is gone and the
   * container is deleted. Output reaches the listener as it is printed, up to the output limit. A
   * failure of the sandbox itself is reported as {@link StageResult.Termination#SANDBOX_FAILURE},
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

  /** Gives the host id ranges back. Call after every work directory is closed. Idempotent. */
  @Override
  void close();
}
