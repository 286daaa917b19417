# Copies standard input to standard output byte for byte.
use strict;
use warnings;

binmode STDIN;
binmode STDOUT;
local $/ = \65536;
while (defined(my $chunk = <STDIN>)) {
    print STDOUT $chunk;
}
