#if canImport(Glibc)
import Glibc
#endif

print("exiting with 3")
exit(3)
