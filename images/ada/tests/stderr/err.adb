with Ada.Text_IO; use Ada.Text_IO;

procedure Err is
begin
   Put_Line (Standard_Error, "to stderr");
   Put_Line ("to stdout");
end Err;
