use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Words::Text;

print Words::Text::phrase(), "\n";
