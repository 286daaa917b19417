package Greet;
use strict;
use warnings;
use Exporter qw(import);
our @EXPORT_OK = qw(greet);

sub greet { my ($name) = @_; return "Hello, $name!"; }

1;
