object Main {
  def main(args: Array[String]): Unit = println(Greeter.greet("files"))
}
