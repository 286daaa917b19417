program hello
  implicit none
  print "(a)", "Hello, world!"
end program hello
