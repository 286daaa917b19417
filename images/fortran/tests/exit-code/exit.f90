program exit_code
  implicit none
  print "(a)", "exiting with 3"
  stop 3
end program exit_code
