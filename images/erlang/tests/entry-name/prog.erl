-module(prog).
-export([main/1]).

main(_) ->
    io:format("entry name works~n").
