-module(bad).
-export([main/1]).

main(_) ->
    io:format("~p~n", [UndefinedName]).
