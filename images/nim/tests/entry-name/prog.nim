echo "entry name works"
