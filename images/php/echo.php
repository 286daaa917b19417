<?php
// Copies standard input to standard output byte for byte.
$in = fopen('php://stdin', 'rb');
$out = fopen('php://stdout', 'wb');
stream_copy_to_stream($in, $out);
