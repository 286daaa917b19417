"""bin/fleet release: the release's language images as a worker installs them.

Reads `images/build --dry-run` lines (NAME@VERSION SUITE HASH cached|missing) on stdin and,
for each image of the control host's cache, makes (once; they are kept in the cache beside
what they pack):

  bases/<suite>/<base hash>/base.tar
      the suite's base root filesystem (Debian's essential set), shipped once per suite;
      its id is the first 16 hex digits of its sha256
  languages/<name>/<version>/<hash>/layer-<base id>.tar
      the image's own files under languages/<name>/<version>/<hash>/ (rootfs/,
      language.json, version), and every file it shares with its base as a hard link to
      bases/<suite>/<base id>/rootfs/...: extracted into a worker's image folder after
      that base, the image takes only its own files' space, as on the build host

Prints the release's `polyrun_image_bases` and `polyrun_images` as one JSON object.

  fleet_images.py CACHE DEFINITIONS < dry-run-lines
"""

import hashlib
import json
import os
import stat
import sys
import tarfile

CHUNK = 1 << 20


def fail(msg):
    sys.stderr.write(f"fleet: {msg}\n")
    sys.exit(2)


def walk(top, rel=""):
    """Every entry below TOP, depth first (a directory's whole tree before its next sibling,
    as tar restores directory times), sorted: (relative path, lstat)."""
    for name in sorted(os.listdir(os.path.join(top, rel))):
        sub = os.path.join(rel, name)
        st = os.lstat(os.path.join(top, sub))
        yield sub, st
        if stat.S_ISDIR(st.st_mode):
            yield from walk(top, sub)


def tar_info(tar, path, arcname):
    info = tar.gettarinfo(path, arcname)
    if info is None:
        fail(f"{path}: a socket or other file a tar cannot hold (expected: files, links, directories)")
    info.uname = info.gname = ""
    return info


def add(tar, path, info):
    if info.isreg():
        with open(path, "rb") as f:
            tar.addfile(info, f)
    else:
        tar.addfile(info)


def write_atomically(target, fill):
    """Calls FILL(tarfile) on a temporary file renamed to TARGET when complete."""
    tmp = f"{os.path.dirname(target)}/.{os.path.basename(target)}.{os.getpid()}"
    try:
        with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
            fill(tar)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()[:16]


def base_tar(cache, suite):
    """The suite's current base, packed: (base hash, base id, inode -> path in rootfs)."""
    link = os.path.join(cache, "bases", suite, "current")
    base = os.path.realpath(link)
    if not os.path.exists(os.path.join(base, ".complete")):
        fail(f"no complete base for {suite} at {link} (expected: images/build made one)")
    rootfs = os.path.join(base, "rootfs")
    inodes = {}
    for rel, st in walk(rootfs):
        if not stat.S_ISDIR(st.st_mode):
            inodes.setdefault((st.st_dev, st.st_ino), rel)
    target = os.path.join(base, "base.tar")
    if not os.path.exists(target):
        def fill(tar):
            for rel, _ in walk(rootfs):
                path = os.path.join(rootfs, rel)
                add(tar, path, tar_info(tar, path, rel))
        write_atomically(target, fill)
    return os.path.basename(base), digest(target), inodes


def layer_tar(image, arc_image, base_inodes, arc_base):
    """The image's own files, and hard links to its base's for the rest."""
    rootfs = os.path.join(image, "rootfs")

    def fill(tar):
        for name in (".", "language.json", "version"):
            path = os.path.join(image, name)
            add(tar, path, tar_info(tar, path, os.path.normpath(os.path.join(arc_image, name))))
        tar.addfile(tar_info(tar, rootfs, f"{arc_image}/rootfs"))
        for rel, st in walk(rootfs):
            path = os.path.join(rootfs, rel)
            base_rel = None if stat.S_ISDIR(st.st_mode) else base_inodes.get((st.st_dev, st.st_ino))
            info = tar_info(tar, path, f"{arc_image}/rootfs/{rel}")
            if base_rel is not None:
                info.type = tarfile.LNKTYPE
                info.linkname = f"{arc_base}/rootfs/{base_rel}"
                info.size = 0
            add(tar, path, info)
    return fill


def main():
    cache, definitions = sys.argv[1], sys.argv[2]
    bases, images = {}, []
    for line in sys.stdin:
        if not line.strip():
            continue
        target, suite, image_hash, state = line.split()
        name, _, version = target.partition("@")
        image = os.path.join(cache, "languages", name, version, image_hash)
        if state != "cached" or not os.path.exists(os.path.join(image, ".complete")):
            fail(f"{target}: no complete image {image} (expected: images/build {target} first)")
        if suite not in bases:
            bases[suite] = base_tar(cache, suite)
        base_hash, base_id, inodes = bases[suite]
        layer = os.path.join(image, f"layer-{base_id}.tar")
        if not os.path.exists(layer):
            write_atomically(layer, layer_tar(image, f"languages/{name}/{version}/{image_hash}", inodes,
                                              f"bases/{suite}/{base_id}"))
        with open(os.path.join(image, "language.json"), encoding="utf-8") as f:
            resolved = json.load(f)
        with open(os.path.join(definitions, name, "language.json"), encoding="utf-8") as f:
            architectures = json.load(f).get("architectures") or []
        with open(os.path.join(image, "version"), encoding="utf-8") as f:
            probed = f.read().strip()
        images.append({"name": name, "version": version, "suite": suite, "hash": image_hash,
                       "default": bool(resolved.get("default")), "probed": probed, "base": base_id,
                       "architectures": architectures})
    json.dump({
        "polyrun_image_bases": [{"suite": s, "id": b[1], "hash": b[0]} for s, b in sorted(bases.items())],
        "polyrun_images": images,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
