.output /dev/stderr
SELECT 'to stderr';
.output stdout
SELECT 'to stdout';
