-module(main).
-export([main/1]).

main(_) ->
    ok = io:setopts(standard_io, [binary, {encoding, latin1}]),
    loop().

loop() ->
    case file:read(standard_io, 65536) of
        {ok, Data} ->
            ok = file:write(standard_io, Data),
            loop();
        eof ->
            ok
    end.
