import qualified Data.Map.Strict as Map
import qualified Data.Vector as V
import qualified Data.HashMap.Strict as HM
import Data.List.Split (splitOn)

main :: IO ()
main = do
  let v = V.fromList [1, 2, 3 :: Int]
      m = Map.fromList (zip (splitOn "," "a,b,c") [1 :: Int ..])
      h = HM.fromList [("x", 1 :: Int)]
  putStrLn (show (V.sum v) ++ " " ++ show (Map.size m + HM.size h - 1))
