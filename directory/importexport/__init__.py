"""Import and export: reading uploaded files, the published table, syncing, resources, export."""
