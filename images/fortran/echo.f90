program echo
  use, intrinsic :: iso_fortran_env, only: int8
  implicit none
  integer(int8) :: byte
  integer :: status
  open(unit=10, file='/dev/stdin', access='stream', form='unformatted', action='read')
  open(unit=11, file='/dev/stdout', access='stream', form='unformatted', action='write')
  do
    read(10, iostat=status) byte
    if (status /= 0) exit
    write(11) byte
  end do
  close(11)
end program echo
