program Prog;
begin
  WriteLn('entry name works');
end.
