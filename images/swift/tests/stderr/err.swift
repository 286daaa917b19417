#if canImport(Glibc)
import Glibc
#endif

fputs("to stderr\n", stderr)
print("to stdout")
