proc greetName*(name: string): string =
  "Hello, " & name & "!"
