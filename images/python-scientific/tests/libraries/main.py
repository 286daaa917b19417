import networkx
import numpy as np
import pandas as pd
import scipy.linalg
import sympy

a = np.array([[1.0, 2.0], [3.0, 4.0]])
df = pd.DataFrame(a, columns=["x", "y"])
x = sympy.Symbol("x")
assert networkx.path_graph(3).number_of_edges() == 2
print(f"mean {a.mean()}, det {round(scipy.linalg.det(a))}, rows {len(df)}, {sympy.diff(x ** 2, x)}")
