-module(sum).
-export([main/1]).

main(_) ->
    io:format("~B~n", [read(0)]).

read(Total) ->
    case io:fread("", "~d") of
        {ok, [N]} -> read(Total + N);
        _ -> Total
    end.
