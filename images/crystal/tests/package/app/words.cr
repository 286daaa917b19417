module App::Words
  def self.phrase : String
    "from a package"
  end
end
