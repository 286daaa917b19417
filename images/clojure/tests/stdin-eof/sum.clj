(require '[clojure.string :as str])

(let [words (remove str/blank? (str/split (slurp *in*) #"\s+"))]
  (println (reduce + (map #(Long/parseLong %) words))))
