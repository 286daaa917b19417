program main
  use greet_mod, only: greet
  implicit none
  print "(a)", greet("files")
end program main
