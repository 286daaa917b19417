program ExitCode;
begin
  WriteLn('exiting with 3');
  Halt(3);
end.
