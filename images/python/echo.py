# Copies standard input to standard output byte for byte.
import shutil
import sys

shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer, 65536)
sys.stdout.buffer.flush()
