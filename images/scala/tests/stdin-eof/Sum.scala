object Sum {
  def main(args: Array[String]): Unit = {
    val total = scala.io.Source.stdin.mkString.split("\\s+").filter(_.nonEmpty).map(_.toLong).sum
    println(total)
  }
}
