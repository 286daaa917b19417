import System.Exit

main :: IO ()
main = do
  putStrLn "exiting with 3"
  exitWith (ExitFailure 3)
