# Prints "<NAME> <soft> <hard>" for each resource limit the sandbox sets explicitly.
import resource

for name in ["NPROC", "SIGPENDING", "MEMLOCK", "MSGQUEUE", "RTPRIO", "NICE", "STACK", "NOFILE", "CORE", "FSIZE"]:
    print(name, *resource.getrlimit(getattr(resource, "RLIMIT_" + name)))
