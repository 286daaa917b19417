program err
  use, intrinsic :: iso_fortran_env, only: error_unit
  implicit none
  write(error_unit, "(a)") "to stderr"
  print "(a)", "to stdout"
end program err
