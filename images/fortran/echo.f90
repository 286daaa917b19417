program echo
  ! Standard Fortran I/O is record-oriented; the C library's read and write
  ! pass every byte through unchanged.
  use, intrinsic :: iso_c_binding, only: c_int, c_size_t, c_long, c_char
  implicit none
  interface
    function c_read(fd, buf, count) bind(c, name="read") result(n)
      import :: c_int, c_size_t, c_long, c_char
      integer(c_int), value :: fd
      character(kind=c_char) :: buf(*)
      integer(c_size_t), value :: count
      integer(c_long) :: n
    end function c_read
    function c_write(fd, buf, count) bind(c, name="write") result(n)
      import :: c_int, c_size_t, c_long, c_char
      integer(c_int), value :: fd
      character(kind=c_char) :: buf(*)
      integer(c_size_t), value :: count
      integer(c_long) :: n
    end function c_write
  end interface
  character(kind=c_char) :: buf(65536)
  integer(c_long) :: n, done, w
  do
    n = c_read(0_c_int, buf, int(size(buf), c_size_t))
    if (n <= 0) exit
    done = 0
    do while (done < n)
      w = c_write(1_c_int, buf(done + 1:), int(n - done, c_size_t))
      if (w <= 0) stop 1
      done = done + w
    end do
  end do
end program echo
