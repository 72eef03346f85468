"""The graph of a build and where it lives: RDF terms and the quads of each article's graph
(`rdf`), IRIs minted from any id (`iris`), the embedded Oxigraph store (`store`), build folders
published at once and held by their readers (`publish`), a SPARQL 1.1 server as the store
(`remote`), and the SHACL shapes a graph is checked against (`shapes`)."""
