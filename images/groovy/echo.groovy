System.in.transferTo(System.out)
System.out.flush()
