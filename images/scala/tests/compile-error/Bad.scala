object Bad {
  def main(args: Array[String]): Unit = println(undefinedName)
}
