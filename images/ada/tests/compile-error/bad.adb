with Ada.Text_IO;

procedure Bad is
begin
   Ada.Text_IO.Put_Line (Undefined_Name);
end Bad;
