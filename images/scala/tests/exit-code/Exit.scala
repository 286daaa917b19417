object Exit {
  def main(args: Array[String]): Unit = {
    println("exiting with 3")
    sys.exit(3)
  }
}
