# Copies standard input to standard output byte for byte, NUL bytes included:
# read splits at NULs, the last piece (no NUL after it) is left in $chunk.
while IFS= read -r -d '' chunk; do
    printf '%s\0' "$chunk"
done
printf '%s' "$chunk"
