.output /dev/null
SELECT writefile('/dev/stdout', readfile('/dev/stdin'));
