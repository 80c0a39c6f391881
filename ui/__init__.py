"""The app's tabs, one module each (draw, inside, training), and what they share (common, tables, canvas)."""
