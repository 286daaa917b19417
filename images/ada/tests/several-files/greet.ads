package Greet is
   function Greeting (Name : String) return String;
end Greet;
