"""What every layer of `kg` may use: atomic file writes and the CSV readers (`files`), text made
safe for a terminal (`display`), and the on-disk cache of start-up work (`cache`)."""
