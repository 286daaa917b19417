# Reads two integers from one line and prints their sum: the judged program of the load harness.
a, b = map(int, input().split())
print(a + b)
