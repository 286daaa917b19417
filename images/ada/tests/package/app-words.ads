package App.Words is
   function Phrase return String is ("from a package");
end App.Words;
