#!/usr/bin/env escript
%%! -noinput
%% The io system decodes standard input by the locale (Erlang/OTP 26 and
%% later); a port on the descriptors passes every byte through unchanged.
%% -noinput keeps the runtime itself from reading stdin.
-module(main).
-export([main/1]).

main(_) ->
    Port = open_port({fd, 0, 1}, [binary, eof, stream]),
    loop(Port).

loop(Port) ->
    receive
        {Port, {data, Data}} ->
            true = port_command(Port, Data),
            loop(Port);
        {Port, eof} ->
            port_close(Port)
    end.
