program sum
  implicit none
  character(len=4096) :: line
  integer :: status, total, x, i, start
  total = 0
  do
    read(*, "(a)", iostat=status) line
    if (status /= 0) exit
    ! every number on the line, however many
    start = 0
    do i = 1, len_trim(line) + 1
      if (i <= len_trim(line) .and. line(i:i) /= " ") then
        if (start == 0) start = i
      else if (start /= 0) then
        read(line(start:i - 1), *) x
        total = total + x
        start = 0
      end if
    end do
  end do
  print "(i0)", total
end program sum
