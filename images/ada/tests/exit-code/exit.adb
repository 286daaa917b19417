with Ada.Text_IO;
with Ada.Command_Line;

procedure Exit_Code is
begin
   Ada.Text_IO.Put_Line ("exiting with 3");
   Ada.Command_Line.Set_Exit_Status (3);
end Exit_Code;
