"""Schemas: the shard's Arrow schema, the policy's JSON Schema, the manifest's JSON Schema."""
