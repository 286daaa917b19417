-module(main).
-export([main/1]).
-include("greet.hrl").

main(_) ->
    io:format("~s~n", [greet("files")]).
