use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use Greet qw(greet);

print greet("files"), "\n";
