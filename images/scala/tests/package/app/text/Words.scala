package app.text

object Words {
  def phrase: String = "from a package"
}
