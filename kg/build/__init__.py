"""A build, end to end (`driver.build`): the per-article work (`worker`) run in local processes
(`pool`) or on a Dask cluster (`cluster`), what an incremental build keeps of the last one
(`incremental`), the store, the state file and the events table written as articles come
(`writer`), the events several articles report (`merges`), what the build records of how it was
made (`provenance`), the progress bar (`progress`), and the outputs it hands its results to
(`sinks`: the HTML view, a SPARQL server)."""
