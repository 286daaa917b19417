program bad
  implicit none
  print *, undefined_name
end program bad
