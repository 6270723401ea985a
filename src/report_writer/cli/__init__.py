"""Command-line shell: main.py builds the `report-writer` group; each module adds one area's commands."""
