-module(sum).
-export([main/1]).

main(_) ->
    Words = string:lexemes(read([]), " \t\r\n"),
    io:format("~B~n", [lists:sum([binary_to_integer(W) || W <- Words])]).

read(Acc) ->
    case io:get_chars("", 65536) of
        eof -> iolist_to_binary(lists:reverse(Acc));
        Data -> read([Data | Acc])
    end.
