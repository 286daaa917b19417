-module(exit).
-export([main/1]).

main(_) ->
    io:format("exiting with 3~n"),
    halt(3).
