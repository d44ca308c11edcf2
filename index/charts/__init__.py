"""Charts drawn from the library's records, as PNG bytes (matplotlib, imported only when drawing)."""
