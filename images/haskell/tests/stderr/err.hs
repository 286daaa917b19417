import System.IO

main :: IO ()
main = do
  hPutStrLn stderr "to stderr"
  putStrLn "to stdout"
