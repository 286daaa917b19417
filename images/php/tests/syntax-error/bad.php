<?php
echo "never printed"
echo "x";
