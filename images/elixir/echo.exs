# Erlang/OTP 26 and later decode standard input by the locale (UTF-8), so
# there stdin is text: read and write characters. Before, latin1 mode passes
# every byte through unchanged.
defmodule Echo do
  def copy(read, write) do
    case read.() do
      :eof -> :ok
      {:error, reason} -> raise "read failed: #{inspect(reason)}"
      data ->
        write.(data)
        copy(read, write)
    end
  end
end

if String.to_integer(System.otp_release()) >= 26 do
  Echo.copy(fn -> IO.read(:stdio, 65536) end, &IO.write/1)
else
  :ok = :io.setopts(:standard_io, binary: true, encoding: :latin1)
  Echo.copy(fn -> IO.binread(:stdio, 65536) end, &IO.binwrite/1)
end
