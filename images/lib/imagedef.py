"""Helper of images/build: reads language definitions and does what bash is bad at.

    list IMAGES                       language names (folders holding language.json)
    plan IMAGES SALT TARGET...        validate; one line per image: name version suite hash default
    load IMAGES NAME VERSION          shell assignments (DEF_*) of one resolved version
    publish IMAGES NAME VERSION ROOTFS OUT
                                      write the resolved definition (with library versions) to OUT
    version [PATTERN]                 stdin -> version (first non-empty line, first group)
    tasks UID                         number of tasks (threads) whose real uid is UID
    measure STAT IN OUT ERR -- CMD... run CMD with pipes from IN to OUT and ERR ("-": OUT), write
                                      "status cpu_seconds maxrss_bytes" to STAT
    scan MERGED UPPER PLAN            record which entries of a mounted overlay come from the upper layer
    materialize LOWER UPPER PLAN OUT  build OUT: upper entries moved in, lower files hard-linked

A TARGET is NAME (every version) or NAME@VERSION. Only the standard library is used.
"""

import hashlib
import json
import os
import re
import shlex
import stat
import sys

TOP_KEYS = {"name", "displayName", "sourceFile", "extensions", "packages", "setup", "compile", "run",
            "versionProbe", "versionPattern", "env", "limits", "libraries", "stdin", "sandbox", "versions",
            "architectures"}
VERSION_KEYS = {"name", "suite", "packages", "setup", "compile", "run", "versionProbe", "versionPattern",
                "env", "limits", "libraries", "stdin", "sandbox"}
# What programs read from stdin: any bytes (the default), UTF-8 text only, or nothing.
STDIN = (True, "text", False)
SUITES = ("bookworm", "trixie")
LIMIT_KEYS = ["cpuTimeMs", "wallTimeMs", "memoryBytes", "maxProcesses", "outputBytes", "fileSizeBytes"]
# Placeholders: {source} and {stem} may sit inside an argument; the others only stand alone.
INLINE = ("{source}", "{stem}")
WHOLE = ("{sources}", "{options}")


def fail(msg):
    sys.stderr.write(msg + "\n")
    sys.exit(1)


# ------------------------------------------------------------ definitions ---
def samples(ext, stdin=True):
    """The sample files: hello, its output, and echo unless programs cannot read stdin."""
    return ["hello" + ext] + (["echo" + ext] if stdin else []) + ["hello.out"]


def argv_list(v, key, allowed):
    if not isinstance(v, list) or not v or not all(isinstance(x, str) and x for x in v):
        fail(f"{key}: must be a non-empty list of non-empty strings")
    for x in v:
        for t in INLINE + WHOLE:
            if t in x and t not in allowed:
                fail(f"{key}: {t} is not allowed here: {x!r}")
            if t in WHOLE and t in x and x != t:
                fail(f"{key}: {t} must be a whole argument: {x!r}")
    if v[0] in WHOLE:
        fail(f"{key}: the program itself cannot be {v[0]}")
    return v


def check_limits(limits, key, compiled):
    if not isinstance(limits, dict) or set(limits) - {"compile", "run"}:
        fail(f"{key}: must be an object with \"run\" (and \"compile\")")
    for st in limits:
        lim = limits[st]
        if not isinstance(lim, dict) or set(lim) != set(LIMIT_KEYS) or not all(
                type(lim[k]) is int and lim[k] > 0 for k in LIMIT_KEYS):
            fail(f"{key}.{st}: must hold exactly {', '.join(LIMIT_KEYS)} as positive integers")


def check_libraries(libs, key):
    if not isinstance(libs, list):
        fail(f"{key}: must be a list")
    for lib in libs:
        if isinstance(lib, str) and lib.strip():
            continue
        if isinstance(lib, dict) and set(lib) <= {"name", "package"} and isinstance(lib.get("name"), str) \
                and lib["name"].strip() and isinstance(lib.get("package", ""), str):
            continue
        fail(f"{key}: entries are names or {{\"name\": ..., \"package\": ...}} objects, not {lib!r}")


def read_definition(images, name):
    folder = os.path.join(images, name)
    path = os.path.join(folder, "language.json")
    if not os.path.isfile(path):
        fail(f"no such language: {name} (expected images/{name}/language.json)")
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: {e}")
    if not isinstance(d, dict):
        fail(f"{path}: not a JSON object")
    return folder, d


def resolve(images, name):
    """Validates images/NAME/language.json; returns (folder, [resolved version dicts], newest first)."""
    folder, d = read_definition(images, name)

    def bad(msg):
        fail(f"images/{name}/language.json: {msg}")

    unknown = set(d) - TOP_KEYS
    if unknown:
        bad(f"unknown field(s): {', '.join(sorted(unknown))}")
    if d.get("name") != name or not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
        bad(f"name: must equal the folder name {name!r} ([a-z][a-z0-9_-]*)")
    if not isinstance(d.get("displayName"), str) or not d["displayName"].strip():
        bad("displayName: must be a non-empty string")
    src = d.get("sourceFile")
    if not isinstance(src, str) or not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.[A-Za-z0-9]+", src):
        bad("sourceFile: must be a plain file name with an extension, like main.c")
    ext = os.path.splitext(src)[1]
    exts = d.get("extensions")
    if not isinstance(exts, list) or not all(isinstance(e, str) and re.fullmatch(r"\.[A-Za-z0-9]+", e) for e in exts):
        bad("extensions: must be a list like [\".c\"]")
    if exts and ext not in exts:
        bad(f"extensions: must contain the extension of sourceFile ({ext})")
    archs = d.get("architectures")
    if archs is not None and (not isinstance(archs, list) or not archs or not all(
            isinstance(a, str) and re.fullmatch(r"[a-z0-9]+", a) for a in archs)):
        bad(f"architectures: {archs!r} (expected a non-empty list of Debian architectures, like [\"amd64\"])")
    versions = d.get("versions")
    if not isinstance(versions, list) or not versions:
        bad("versions: must be a non-empty list, newest (the default) first")
    reads = [v.get("stdin", d.get("stdin", True)) for v in versions if isinstance(v, dict)]
    if any(x not in STDIN for x in reads):
        bad("stdin: must be true, \"text\" or false")
    for sample in samples(ext, any(x is not False for x in reads)):
        if not os.path.isfile(os.path.join(folder, sample)):
            bad(f"missing sample {sample}")
    if all(x is False for x in reads) and os.path.exists(os.path.join(folder, "echo" + ext)):
        bad(f"echo{ext}: a language whose programs cannot read stdin (\"stdin\": false) has no echo sample")
    out, seen = [], set()
    for i, v in enumerate(versions):
        key = f"versions[{i}]"
        if not isinstance(v, dict):
            bad(f"{key}: must be an object")
        unknown = set(v) - VERSION_KEYS
        if unknown:
            bad(f"{key}: unknown field(s): {', '.join(sorted(unknown))}")
        vname = v.get("name")
        if not isinstance(vname, str) or not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,31}", vname) \
                or vname in ("current", "default"):
            bad(f"{key}.name: must be a selector like \"3.13\" ([0-9A-Za-z][0-9A-Za-z._+-]*)")
        if vname in seen:
            bad(f"{key}.name: {vname!r} appears twice")
        seen.add(vname)
        if v.get("suite") not in SUITES:
            bad(f"{key}.suite: {v.get('suite')!r} (expected one of: {', '.join(SUITES)})")
        r = {k: d[k] for k in ("name", "displayName", "sourceFile", "extensions")}
        # the worker validates the sandbox override when it loads the image
        sandbox = v.get("sandbox", d.get("sandbox"))
        if sandbox is not None:
            if not isinstance(sandbox, dict):
                bad(f"{key}: sandbox must be an object (a merge patch of the sandbox policy)")
            r["sandbox"] = sandbox
        stdin = v.get("stdin", d.get("stdin", True))
        if stdin is not True:
            r["stdin"] = stdin
        for k in ("packages", "setup", "compile", "run", "versionProbe", "versionPattern", "libraries"):
            r[k] = v[k] if k in v else d.get(k)
        r["env"] = dict(d.get("env") or {})
        r["env"].update(v.get("env") or {})
        r["limits"] = dict(d.get("limits") or {})
        r["limits"].update(v.get("limits") or {})
        r["versionName"] = vname
        r["suite"] = v["suite"]
        r["default"] = i == 0
        check_version(r, f"{key} ({vname})", bad)
        out.append(r)
    return folder, out


def check_version(r, key, bad):
    pk = r.get("packages")
    if not isinstance(pk, list) or not pk or not all(
            isinstance(p, str) and re.fullmatch(r"[a-z0-9][a-z0-9+.:=~-]*", p) for p in pk):
        bad(f"{key}: packages must be a non-empty list of Debian package names")
    setup = r.get("setup")
    if setup is not None:
        if not isinstance(setup, list) or not setup:
            bad(f"{key}: setup must be a non-empty list of commands")
        for i, cmd in enumerate(setup):
            argv_list(cmd, f"{key}: setup[{i}]", ())
    if r["compile"] is not None:
        argv_list(r["compile"], f"{key}: compile", INLINE + WHOLE)
    argv_list(r["run"], f"{key}: run", INLINE + ("{sources}",))
    argv_list(r["versionProbe"], f"{key}: versionProbe", ())
    pattern = r.get("versionPattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            bad(f"{key}: versionPattern must be a string")
        try:
            if re.compile(pattern).groups < 1:
                bad(f"{key}: versionPattern needs a capturing group")
        except re.error as e:
            bad(f"{key}: versionPattern: {e}")
    env = r["env"]
    if not isinstance(env.get("PATH"), str):
        bad(f"{key}: env must hold PATH")
    for k, val in env.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) or not isinstance(val, str) or "\0" in val:
            bad(f"{key}: env: bad entry {k!r}")
        if k in ("HOME", "LANG"):
            bad(f"{key}: env: {k} is set by the worker, leave it out")
    stages = {"run"} | ({"compile"} if r["compile"] is not None else set())
    if set(r["limits"]) != stages:
        bad(f"{key}: limits must hold exactly {', '.join(sorted(stages))}")
    check_limits(r["limits"], f"{key}: limits", r["compile"] is not None)
    check_libraries(r.get("libraries") or [], f"{key}: libraries")


def pick(images, target):
    """NAME: every version; NAME@VERSION: that one; NAME@default: the default one."""
    name, _, vname = target.partition("@")
    folder, versions = resolve(images, name)
    if not vname:
        return folder, versions
    if vname == "default":
        return folder, versions[:1]
    chosen = [v for v in versions if v["versionName"] == vname]
    if not chosen:
        fail(f"{name}: version {vname!r} (expected one of: {', '.join(v['versionName'] for v in versions)})")
    return folder, chosen


def tree_digest(h, folder, rel):
    """Feeds the names, modes and contents of the files under folder/rel into h (symlinks
    followed: the builder copies what they point at)."""
    base = os.path.join(folder, rel)
    if not os.path.isdir(base):
        return
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for fn in sorted(filenames):
            p = os.path.join(dirpath, fn)
            st = os.stat(p)
            h.update(f"{os.path.relpath(p, folder)}\0{st.st_mode & 0o7777:o}\0".encode())
            with open(p, "rb") as f:
                h.update(hashlib.sha256(f.read()).digest())


def image_hash(folder, version, salt):
    """What the image is made of: the resolved version, its samples, its files/, the builder."""
    h = hashlib.sha256()
    h.update(json.dumps(version, sort_keys=True).encode())
    ext = os.path.splitext(version["sourceFile"])[1]
    for sample in samples(ext, version.get("stdin", True) is not False):
        with open(os.path.join(folder, sample), "rb") as f:
            h.update(sample.encode() + b"\0" + hashlib.sha256(f.read()).digest())
    tree_digest(h, folder, "files")
    h.update(salt.encode())
    return h.hexdigest()[:16]


def host_architecture():
    """The Debian architecture images are built for: POLYRUN_ARCH, else the host's."""
    if os.environ.get("POLYRUN_ARCH"):
        return os.environ["POLYRUN_ARCH"]
    machine = os.uname().machine
    return {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "armhf", "i686": "i386"}.get(machine, machine)


def plan(images, salt, targets):
    arch = host_architecture()
    for target in targets:
        folder, versions = pick(images, target)
        archs = read_definition(images, target.partition("@")[0])[1].get("architectures")
        if archs and arch not in archs:
            sys.stderr.write(f"{target}: not built on {arch} (its definition lists architectures: "
                             f"{', '.join(archs)})\n")
            continue
        for v in versions:
            print(v["name"], v["versionName"], v["suite"], image_hash(folder, v, salt), int(v["default"]))


def load(images, name, vname):
    _, versions = pick(images, f"{name}@{vname}")
    r = versions[0]
    src = r["sourceFile"]
    stem = os.path.splitext(src)[0]

    def arr(var, items):
        print(f"{var}=(" + " ".join(shlex.quote(x) for x in items) + ")")

    def subst(argv):
        out = []
        for x in argv:
            if x == "{options}":
                continue
            if x == "{sources}":
                out.append(src)
                continue
            out.append(x.replace("{source}", src).replace("{stem}", stem))
        return out

    print(f"DEF_PACKAGES={shlex.quote(' '.join(r['packages']))}")
    print("DEF_SETUP=" + shlex.quote("\n".join(shlex.join(c) for c in r.get("setup") or [])))
    print(f"DEF_SUITE={shlex.quote(r['suite'])}")
    print(f"DEF_SOURCE={shlex.quote(src)}")
    print(f"DEF_EXT={shlex.quote(os.path.splitext(src)[1])}")
    print(f"DEF_HAS_COMPILE={1 if r['compile'] is not None else 0}")
    stdin = r.get("stdin", True)
    print(f"DEF_SAMPLES=({'hello' if stdin is False else 'hello echo'})")
    print(f"DEF_STDIN={'text' if stdin == 'text' else 'bytes'}")
    arr("DEF_COMPILE", subst(r["compile"] or []))
    arr("DEF_RUN", subst(r["run"]))
    arr("DEF_PROBE", r["versionProbe"])
    print(f"DEF_PATTERN={shlex.quote(r.get('versionPattern') or '')}")
    arr("DEF_ENV", [f"{k}={v}" for k, v in r["env"].items()])
    for st in ("compile", "run"):
        lim = r["limits"].get(st) or r["limits"]["run"]
        for k in LIMIT_KEYS:
            print(f"DEF_{st.upper()}_{k}={lim[k]}")


def dpkg_versions(rootfs):
    """Installed package -> upstream version, from the image's dpkg status."""
    found, pkg, ok = {}, None, False
    try:
        with open(os.path.join(rootfs, "var/lib/dpkg/status"), encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines() + [""]
    except OSError:
        return found
    version = None
    for line in lines:
        if not line.strip():
            if pkg and ok and version:
                upstream = version.split(":", 1)[-1]
                upstream = upstream.rsplit("-", 1)[0] if "-" in upstream else upstream
                found[pkg] = re.sub(r"[+~](dfsg|ds|repack|really).*$", "", upstream)
            pkg, ok, version = None, False, None
        elif line.startswith("Package: "):
            pkg = line[9:].strip()
        elif line.startswith("Status: "):
            ok = line.strip().endswith(" installed")
        elif line.startswith("Version: "):
            version = line[9:].strip()
    return found


def publish(images, name, vname, rootfs, out):
    _, versions = pick(images, f"{name}@{vname}")
    r = dict(versions[0])
    installed = dpkg_versions(rootfs)
    libs = []
    for lib in r.get("libraries") or []:
        if isinstance(lib, str):
            libs.append(lib)
            continue
        pkg = lib.get("package")
        if pkg and pkg not in installed:
            fail(f"libraries: {lib['name']}: package {pkg} is not installed in the image")
        libs.append(f"{lib['name']} {installed[pkg]}" if pkg else lib["name"])
    r["libraries"] = libs
    probed_file = os.path.join(os.path.dirname(out), "version")
    if os.path.isfile(probed_file):
        probed = open(probed_file, encoding="utf-8").read().strip()
        if not re.fullmatch(re.escape(vname) + r"([.+~_-].*)?", probed):
            fail(f"{name}@{vname}: the version probe reports {probed!r} (expected {vname!r} or {vname!r} "
                 f"followed by . + ~ _ or -): the version's name or its packages are wrong")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(r, f, indent=2)
        f.write("\n")


# ------------------------------------------------------------------ misc ---
def version(pattern):
    data = sys.stdin.buffer.read().decode("utf-8", "replace")
    line = next((x.strip() for x in data.splitlines() if x.strip()), "")
    if pattern:
        m = re.search(pattern, data if "(?m)" in pattern or "(?s)" in pattern else line)
        if not m:
            fail(f"versionPattern {pattern!r} does not match {line!r}")
        line = (m.group(1) or "").strip()
    if not line:
        fail("the version probe printed nothing")
    print(line)


def tasks(uid):
    n = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/status") as f:
                st = dict(x.split(":", 1) for x in f if ":" in x)
            if st["Uid"].split()[0] == uid:
                n += int(st["Threads"])
        except (OSError, KeyError, ValueError):
            pass
    print(n)


def measure(stat_file, stdin, stdout, stderr, argv):
    """Runs argv with pipes for stdin, stdout and stderr, as the worker gives a program: stdin
    fed from the file stdin, stdout and stderr written to their files (stderr "-": into stdout).
    Writes "status cpu_seconds maxrss_bytes" to stat_file."""
    import signal
    import subprocess
    import threading
    out = open(stdout, "wb")
    err = out if stderr == "-" else open(stderr, "wb")
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT if stderr == "-" else subprocess.PIPE)

    def feed():
        try:
            with open(stdin, "rb") as f:
                while chunk := f.read(65536):
                    p.stdin.write(chunk)
        except BrokenPipeError:
            pass
        finally:
            try:
                p.stdin.close()
            except BrokenPipeError:
                pass

    def drain(pipe, dest):
        while chunk := pipe.read1(65536):
            dest.write(chunk)

    threads = [threading.Thread(target=feed), threading.Thread(target=drain, args=(p.stdout, out))]
    if stderr != "-":
        threads.append(threading.Thread(target=drain, args=(p.stderr, err)))
    for t in threads:
        t.start()

    def forward(sig, _frame):
        try:
            os.kill(p.pid, sig)
        except ProcessLookupError:
            pass
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    for t in threads:
        t.join()
    out.close()
    err.close()
    with open(stat_file, "w") as f:
        f.write(f"{p.returncode} {ru.ru_utime + ru.ru_stime:.2f} {ru.ru_maxrss * 1024}\n")


# ---------------------------------------------------------------- layers ---
def is_whiteout(st):
    return stat.S_ISCHR(st.st_mode) and st.st_rdev == 0


def scan(merged, upper, plan_file):
    """Lists every entry of the mounted overlay with 'U' (from the upper layer) or 'L' (lower).

    The merged view already applies whiteouts and opaque directories; whether the upper layer
    holds a (non-whiteout) entry at the same path says where the content lives."""
    with open(plan_file, "w", encoding="utf-8", errors="surrogateescape") as out:
        for dirpath, dirnames, filenames in os.walk(merged):
            rel_dir = os.path.relpath(dirpath, merged)
            for n in sorted(dirnames) + sorted(filenames):
                rel = os.path.normpath(os.path.join(rel_dir, n))
                u = os.path.join(upper, rel)
                try:
                    in_upper = not is_whiteout(os.lstat(u))
                except FileNotFoundError:
                    in_upper = False
                if "\n" in rel:
                    fail(f"a file name with a newline: {rel!r}")
                out.write(("U " if in_upper else "L ") + rel + "\n")


def copy_meta(src_st, path):
    os.lchown(path, src_st.st_uid, src_st.st_gid)
    if not stat.S_ISLNK(src_st.st_mode):
        os.chmod(path, stat.S_IMODE(src_st.st_mode))
    os.utime(path, ns=(src_st.st_atime_ns, src_st.st_mtime_ns), follow_symlinks=False)


def materialize(lower, upper, plan_file, out):
    """Builds OUT from the plan: directories made, upper entries moved (the upper layer is
    thrown away afterwards), lower files hard-linked, so files the image shares with its base
    take no space. Hard links inside the upper layer stay hard links."""
    os.mkdir(out)
    dirs = []
    with open(plan_file, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            where, rel = line[0], line[2:-1]
            src = os.path.join(upper if where == "U" else lower, rel)
            dst = os.path.join(out, rel)
            st = os.lstat(src)
            if stat.S_ISDIR(st.st_mode):
                os.mkdir(dst)
                dirs.append((st, dst))
            elif where == "U":
                os.rename(src, dst)
            else:
                os.link(src, dst, follow_symlinks=False)
    # directory metadata last: creating entries changes a directory's times
    for st, dst in reversed(dirs):
        copy_meta(st, dst)
    root_st = os.lstat(lower)
    copy_meta(root_st, out)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "list":
        images = args[0]
        for n in sorted(os.listdir(images)):
            if os.path.isfile(os.path.join(images, n, "language.json")):
                print(n)
    elif cmd == "plan":
        plan(args[0], args[1], args[2:])
    elif cmd == "load":
        load(*args)
    elif cmd == "publish":
        publish(*args)
    elif cmd == "version":
        version(args[0] if args else "")
    elif cmd == "tasks":
        tasks(args[0])
    elif cmd == "measure":
        assert args[4] == "--"
        measure(args[0], args[1], args[2], args[3], args[5:])
    elif cmd == "scan":
        scan(*args)
    elif cmd == "materialize":
        materialize(*args)
    else:
        fail(f"unknown helper command {cmd}")


if __name__ == "__main__":
    main()
