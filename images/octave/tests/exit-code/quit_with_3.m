disp("exiting with 3");
exit(3);
