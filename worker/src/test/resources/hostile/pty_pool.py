# Opens pseudo-terminals until the container's own devpts instance refuses one; prints
# "ptys <opened> <errno>" (ENOSPC, 28, at its max), or "ptys <opened> none" past 100.
import os

fds = []
try:
    while len(fds) < 100:
        fds.append(os.openpty())
except OSError as e:
    print("ptys", len(fds), e.errno)
else:
    print("ptys", len(fds), "none")
