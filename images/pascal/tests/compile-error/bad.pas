program Bad;
begin
  WriteLn(UndefinedName);
end.
