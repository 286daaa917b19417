program Main;
uses Greet;
begin
  WriteLn(GreetName('files'));
end.
