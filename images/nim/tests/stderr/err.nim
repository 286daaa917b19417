stderr.writeLine("to stderr")
echo "to stdout"
