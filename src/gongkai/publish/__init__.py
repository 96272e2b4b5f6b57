"""Publishing the knowledge graph as linked data: JSON-LD with the curated context, the
DCAT/VoID description, ontology documentation and a static site."""
