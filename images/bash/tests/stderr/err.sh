echo "to stderr" >&2
echo "to stdout"
