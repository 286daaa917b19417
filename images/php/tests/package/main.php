<?php
require __DIR__ . "/src/Words/Text.php";

use App\Words\Text;

echo Text::phrase(), "\n";
