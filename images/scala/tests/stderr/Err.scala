object Err {
  def main(args: Array[String]): Unit = {
    System.err.println("to stderr")
    println("to stdout")
  }
}
