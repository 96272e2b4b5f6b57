"""Command modules of the `gongkai` CLI, one per command group."""
