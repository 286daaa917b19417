with GNAT.OS_Lib; use GNAT.OS_Lib;

procedure Main is
   Buffer : String (1 .. 65536);
   N, Written : Integer;
begin
   loop
      N := Read (Standin, Buffer'Address, Buffer'Length);
      exit when N <= 0;
      Written := Write (Standout, Buffer'Address, N);
      exit when Written /= N;
   end loop;
end Main;
