program Hello;
begin
  WriteLn('Hello, world!');
end.
