program Err;
begin
  WriteLn(StdErr, 'to stderr');
  WriteLn('to stdout');
end.
