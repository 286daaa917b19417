main :: IO ()
main = do
  input <- getContents
  print (sum (map read (words input)) :: Integer)
