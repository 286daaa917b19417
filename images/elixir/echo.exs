:ok = :io.setopts(:standard_io, binary: true, encoding: :latin1)

defmodule Echo do
  def loop do
    case IO.binread(:stdio, 65536) do
      :eof -> :ok
      {:error, reason} -> raise "read failed: #{inspect(reason)}"
      data ->
        IO.binwrite(:stdio, data)
        loop()
    end
  end
end

Echo.loop()
