package app

import app.text.Words

object Main {
  def main(args: Array[String]): Unit = println(Words.phrase)
}
