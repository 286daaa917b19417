-module(err).
-export([main/1]).

main(_) ->
    io:format(standard_error, "to stderr~n", []),
    io:format("to stdout~n").
