# Copies standard input to standard output byte for byte.
$stdin.binmode
$stdout.binmode
IO.copy_stream($stdin, $stdout)
