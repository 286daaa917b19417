<?php
namespace App\Words;

class Text {
    public static function phrase(): string {
        return "from a package";
    }
}
