total=0
while read -r -a nums || [[ ${#nums[@]} -gt 0 ]]; do
    for n in "${nums[@]}"; do
        total=$((total + n))
    done
    nums=()
done
echo "$total"
