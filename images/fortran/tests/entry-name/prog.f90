program prog
  implicit none
  print "(a)", "entry name works"
end program prog
