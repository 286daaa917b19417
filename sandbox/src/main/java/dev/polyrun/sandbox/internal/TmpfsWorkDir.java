package dev.polyrun.sandbox.internal;

import dev.polyrun.sandbox.WorkDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A work directory on its own tmpfs mount, owned by the sandbox user. Files are written only
 * before the first stage; removal unmounts the tmpfs (lazily, so nothing inside is ever opened)
 * and removes the empty mount point.
 */
public final class TmpfsWorkDir implements WorkDir {
  private final Path mountPoint;
  private final int ownerId;
  private volatile boolean sealed;
  private volatile boolean closed;

  private TmpfsWorkDir(Path mountPoint, int ownerId) {
    this.mountPoint = mountPoint;
    this.ownerId = ownerId;
  }

  /** Mounts a new tmpfs at {@code mountPoint} (which must not exist yet). */
  static TmpfsWorkDir mount(Path mountPoint, long sizeBytes, long inodes, int ownerId)
      throws IOException {
    Files.createDirectory(mountPoint);
    String options =
        "size=" + sizeBytes + ",nr_inodes=" + inodes + ",mode=0755,uid=" + ownerId + ",gid=" + ownerId
            + ",nosuid,nodev";
    try {
      Commands.run(List.of("mount", "-t", "tmpfs", "-o", options, "polyrun-work", mountPoint.toString()));
    } catch (IOException e) {
      Files.deleteIfExists(mountPoint);
      throw e;
    }
    return new TmpfsWorkDir(mountPoint, ownerId);
  }

  /** Host path of the mount, for the container's bind mount. Seals the directory. */
  public Path sealForStage() {
    sealed = true;
    return mountPoint;
  }

  @Override
  public void write(String relativePath, byte[] content) throws IOException {
    if (sealed) {
      throw new IllegalStateException("work directory already used by a stage: " + mountPoint);
    }
    Path target = mountPoint.resolve(relativePath).normalize();
    if (Path.of(relativePath).isAbsolute() || !target.startsWith(mountPoint) || target.equals(mountPoint)) {
      throw new IllegalArgumentException(
          "file path: '" + relativePath + "' (expected: a relative path inside the work directory)");
    }
    Path parent = target.getParent();
    if (!parent.equals(mountPoint)) {
      Files.createDirectories(parent);
      for (Path p = parent; !p.equals(mountPoint); p = p.getParent()) {
        chown(p);
      }
    }
    Files.write(target, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    chown(target);
  }

  private void chown(Path p) throws IOException {
    Files.setAttribute(p, "unix:uid", ownerId, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", ownerId, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    unmount(mountPoint);
  }

  /** Lazily unmounts a work directory and removes its mount point; used by the sweep too. */
  static void unmount(Path mountPoint) {
    try {
      Commands.run(List.of("umount", "-l", mountPoint.toString()));
    } catch (IOException e) {
      // not mounted (already gone, or a crash before the mount)
    }
    try {
      Files.deleteIfExists(mountPoint);
    } catch (IOException e) {
      // left for the next sweep
    }
  }
}
