package dev.polyrun.sandbox.internal;

import dev.polyrun.sandbox.WorkDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * A work directory on its own tmpfs mount, owned by the sandbox user of the slot's host id range,
 * which it holds until closed. Files are written only before the first stage; removal unmounts the
 * tmpfs (lazily, so nothing inside is ever opened), removes the empty mount point and gives the id
 * range back.
 */
public final class TmpfsWorkDir implements WorkDir {
  private final Path mountPoint;
  private final IdRange ids;
  private final int ownerUid;
  private final int ownerGid;
  private final Consumer<IdRange> release;
  private volatile boolean sealed;
  private volatile boolean closed;

  private TmpfsWorkDir(
      Path mountPoint, IdRange ids, int ownerUid, int ownerGid, Consumer<IdRange> release) {
    this.mountPoint = mountPoint;
    this.ids = ids;
    this.ownerUid = ownerUid;
    this.ownerGid = ownerGid;
    this.release = release;
  }

  /**
   * Mounts a new tmpfs at {@code mountPoint} (which must not exist yet), owned by the container's
   * uid and gid as mapped into {@code ids}.
   *
   * @param release called with {@code ids} once the directory is gone
   */
  static TmpfsWorkDir mount(
      Path mountPoint,
      long sizeBytes,
      long inodes,
      IdRange ids,
      int uid,
      int gid,
      Consumer<IdRange> release)
      throws IOException {
    int hostUid = ids.hostId(uid);
    int hostGid = ids.hostId(gid);
    Files.createDirectory(mountPoint);
    String options =
        "size="
            + sizeBytes
            + ",nr_inodes="
            + inodes
            + ",mode=0755,uid="
            + hostUid
            + ",gid="
            + hostGid
            + ",nosuid,nodev";
    try {
      Commands.run(
          List.of("mount", "-t", "tmpfs", "-o", options, "polyrun-work", mountPoint.toString()));
    } catch (IOException e) {
      Files.deleteIfExists(mountPoint);
      throw e;
    }
    return new TmpfsWorkDir(mountPoint, ids, hostUid, hostGid, release);
  }

  /** The host id range the directory's owner and its stages' containers map to. */
  IdRange ids() {
    return ids;
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
    if (Path.of(relativePath).isAbsolute()
        || !target.startsWith(mountPoint)
        || target.equals(mountPoint)) {
      throw new IllegalArgumentException(
          "file path: '"
              + relativePath
              + "' (expected: a relative path inside the work directory)");
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
    Files.setAttribute(p, "unix:uid", ownerUid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", ownerGid, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    unmount(mountPoint);
    release.accept(ids);
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
