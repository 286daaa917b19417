import sys

import numpy as np

print(int(np.loadtxt(sys.stdin.read().split(), dtype=np.int64).sum()))
