<?php
echo "entry name works\n";
