program Echo;
uses BaseUnix;
var
  buf: array[0..65535] of Byte;
  n, done, w: TSsize;
begin
  repeat
    n := fpRead(0, buf, SizeOf(buf));
    done := 0;
    while done < n do
    begin
      w := fpWrite(1, buf[done], n - done);
      if w <= 0 then Halt(1);
      done := done + w;
    end;
  until n <= 0;
end.
