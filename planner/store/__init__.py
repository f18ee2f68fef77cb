"""The plan file: schema, working copy, save, migration and integrity."""
