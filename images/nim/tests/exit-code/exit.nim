echo "exiting with 3"
quit(3)
