unit Greet;

interface

function GreetName(const Name: string): string;

implementation

function GreetName(const Name: string): string;
begin
  GreetName := 'Hello, ' + Name + '!';
end;

end.
