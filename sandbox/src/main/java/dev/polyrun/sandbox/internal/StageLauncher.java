package dev.polyrun.sandbox.internal;

import dev.polyrun.sandbox.OutputListener;
import dev.polyrun.sandbox.SandboxPolicy;
import dev.polyrun.sandbox.StageResult;
import dev.polyrun.sandbox.StageSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a stage's sandbox is made: an OCI runtime ({@link StageRunner}, runc by default) or polyrun's
 * own launcher ({@link LauncherRunner}). Both take the same policy and stage, and both leave
 * nothing behind when they return.
 */
interface StageLauncher {

  /**
   * Runs the stage and removes everything it made.
   *
   * @param workDir the sealed work directory's host path
   * @param ids the slot's id range
   * @param fifo the slot's hook FIFO, or null for no timings (OCI runtimes only)
   * @param extraMounts read-only binds (the probe's)
   */
  StageResult run(
      StageSpec spec,
      SandboxPolicy policy,
      Path workDir,
      IdRange ids,
      Path fifo,
      Map<Path, String> extraMounts,
      OutputListener output)
      throws InterruptedException;
}
