use strict;
use warnings;

print "entry name works\n";
