print STDERR "to stderr\n";
print "to stdout\n";
