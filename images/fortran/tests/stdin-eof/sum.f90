program sum
  implicit none
  integer :: x, total, status
  total = 0
  do
    read(*, *, iostat=status) x
    if (status /= 0) exit
    total = total + x
  end do
  print "(i0)", total
end program sum
