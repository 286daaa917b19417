import numpy
import pandas
import scipy

print("Hello, world!")
