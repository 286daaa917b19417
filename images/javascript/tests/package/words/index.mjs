export function phrase() {
  return "from a package";
}
