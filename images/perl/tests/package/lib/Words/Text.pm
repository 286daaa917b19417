package Words::Text;
use strict;
use warnings;

sub phrase { return "from a package"; }

1;
