object Hello {
  def main(args: Array[String]): Unit = println("entry name works")
}
