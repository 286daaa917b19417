(ns app.words)

(defn phrase []
  "from a package")
