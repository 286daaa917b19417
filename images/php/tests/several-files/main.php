<?php
require __DIR__ . "/greet.php";

echo greet("files"), "\n";
