export function phrase(): string {
  return "from a package";
}
