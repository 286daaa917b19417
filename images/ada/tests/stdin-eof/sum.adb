with Ada.Text_IO;
with Ada.Long_Long_Integer_Text_IO;

procedure Sum is
   X, Total : Long_Long_Integer := 0;
begin
   loop
      begin
         Ada.Long_Long_Integer_Text_IO.Get (X);
         Total := Total + X;
      exception
         when Ada.Text_IO.End_Error => exit;
      end;
   end loop;
   Ada.Text_IO.Put_Line (Long_Long_Integer'Image (Total) (2 .. Long_Long_Integer'Image (Total)'Last));
end Sum;
