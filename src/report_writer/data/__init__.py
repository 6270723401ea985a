"""The typed model of a body's yearly data and its files: load → build → validate; dump, workbook."""
