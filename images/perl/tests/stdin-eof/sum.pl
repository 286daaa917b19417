use strict;
use warnings;

my $total = 0;
while (my $line = <STDIN>) {
    $total += $_ for split " ", $line;
}
print "$total\n";
