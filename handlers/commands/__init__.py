"""One module per chat command, each with `run(ctx) -> Reply`: parse its arguments, call
storage, build its words (from `texts.py`). The table that names them is in
`handlers/core.py`."""
