module greet_mod
  implicit none
contains
  function greet(name) result(text)
    character(len=*), intent(in) :: name
    character(len=:), allocatable :: text
    text = "Hello, " // name // "!"
  end function greet
end module greet_mod
