if true; then
    echo "never printed"
