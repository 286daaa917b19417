print "exiting with 3\n";
exit 3;
