with Ada.Text_IO;

procedure Prog is
begin
   Ada.Text_IO.Put_Line ("entry name works");
end Prog;
