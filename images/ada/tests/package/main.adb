with Ada.Text_IO;
with App.Words;

procedure Main is
begin
   Ada.Text_IO.Put_Line (App.Words.Phrase);
end Main;
