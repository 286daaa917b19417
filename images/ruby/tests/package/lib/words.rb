module Words
  module Text
    def self.phrase
      "from a package"
    end
  end
end
